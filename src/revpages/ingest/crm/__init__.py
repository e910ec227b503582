"""HubSpot and Salesforce exports: their catalogues (``<crm>/_objects.yml``,
``<crm>/_stages.yml``) and the mapping SQL that turns them into contract tables.
"""

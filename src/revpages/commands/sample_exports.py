"""The sample data as HubSpot or Salesforce would export it.

``sample_data`` simulates the contract tables; this module writes the same rows as
the CRM's export files (HubSpot internal property names, Salesforce field API names),
so that loading them with ``data_format: hubspot`` or ``salesforce`` gives back the
same contract rows. Ids become the CRM's kind of id (numbers for HubSpot, 18-character
ids with the object's key prefix for Salesforce) in the same order; values become the
CRM's option labels. One static SELECT per file over the contract tables.

What a format cannot carry is left out: HubSpot has no notes per competitor.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from revpages.sql import scalar

_HELPERS = (
    # 2024-05-01 10:00:00 -> 2024-05-01T10:00:00.000Z, as the APIs and Data Loader write it
    "CREATE OR REPLACE TEMP MACRO iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S.000Z')",
    # no_decision -> No decision
    "CREATE OR REPLACE TEMP MACRO label(x) AS upper(x[1]) || replace(x[2:], '_', ' ')",
    # native id L000042 -> HubSpot id 1000042 (one leading digit per object)
    "CREATE OR REPLACE TEMP MACRO hs_id(digit, native) AS "
    "digit || regexp_extract(native, '[0-9]+')",
    # native id L000042 -> Salesforce id 00Q5g0000000000042 (key prefix of the object)
    "CREATE OR REPLACE TEMP MACRO sf_id(prefix, native) AS "
    "prefix || '5g00000' || lpad(regexp_extract(native, '[0-9]+'), 8, '0')",
    "CREATE OR REPLACE TEMP MACRO sf_id2(prefix, kind, native) AS "
    "prefix || '5g0000' || kind || lpad(regexp_extract(native, '[0-9]+'), 8, '0')",
    "CREATE OR REPLACE TEMP TABLE owners AS SELECT owner AS name, "
    "row_number() OVER (ORDER BY owner) AS n FROM (SELECT DISTINCT owner FROM leads "
    "WHERE owner IS NOT NULL)",
)

HS_SOURCE = (
    "CASE {0} WHEN 'paid_search' THEN 'PAID_SEARCH' WHEN 'paid_social' THEN "
    "'PAID_SOCIAL' WHEN 'organic' THEN 'ORGANIC_SEARCH' WHEN 'email' THEN "
    "'EMAIL_MARKETING' WHEN 'events' THEN 'OFFLINE' WHEN 'partner' THEN 'REFERRALS' "
    "WHEN 'direct' THEN 'DIRECT_TRAFFIC' WHEN 'content' THEN 'OTHER_CAMPAIGNS' END"
)
HS_STAGE = (
    "CASE {0} WHEN 'qualification' THEN 'appointmentscheduled' WHEN 'discovery' THEN "
    "'qualifiedtobuy' WHEN 'proposal' THEN 'presentationscheduled' WHEN 'negotiation' "
    "THEN 'contractsent' WHEN 'closed_won' THEN 'closedwon' "
    "WHEN 'closed_lost' THEN 'closedlost' END"
)
HS_OWNER = "(SELECT '7' || lpad(n::VARCHAR, 7, '0') FROM owners WHERE name = {0})"
HS_CAMPAIGN = "hs_id('6', {0})"

HUBSPOT = {
    "contacts.csv": f"""
        select hs_id('1', l.lead_id) as hs_object_id, iso(l.created_at) as createdate,
            iso(greatest(l.created_at, l.mql_at, l.sql_at, l.rejected_at)) as lastmodifieddate,
            case when l.converted_deal_id is not null then 'opportunity'
                when l.sql_at is not null then 'salesqualifiedlead'
                when l.mql_at is not null then 'marketingqualifiedlead' else 'lead' end
                as lifecyclestage,
            iso(l.mql_at) as hs_lifecyclestage_marketingqualifiedlead_date,
            iso(l.sql_at) as hs_lifecyclestage_salesqualifiedlead_date,
            case l.status when 'open' then 'NEW' when 'working' then 'IN_PROGRESS'
                when 'qualified' then 'QUALIFIED' when 'rejected' then 'UNQUALIFIED'
                when 'converted' then 'OPEN_DEAL' end as hs_lead_status,
            {HS_SOURCE.format("l.source")} as hs_analytics_source,
            {HS_CAMPAIGN.format("l.campaign_id")} as hs_analytics_first_touch_converting_campaign,
            {HS_OWNER.format("l.owner")} as hubspot_owner_id,
            hs_id('2', l.account_id) as associatedcompanyid, l.score as hubspotscore,
            iso(l.first_touch_at) as hs_sa_first_engagement_date,
            label(l.segment) as segment, l.region, iso(l.sal_at) as sales_accepted_date,
            iso(l.rejected_at) as rejected_date, label(l.reject_reason) as rejection_reason
        from leads l order by l.lead_id""",
    "companies.csv": """
        select hs_id('2', a.account_id) as hs_object_id, a.name,
            case a.industry when 'software' then 'COMPUTER_SOFTWARE'
                when 'financial_services' then 'FINANCIAL_SERVICES'
                when 'healthcare' then 'HOSPITAL_HEALTH_CARE' when 'manufacturing' then 'MACHINERY'
                when 'retail' then 'RETAIL' when 'education' then 'EDUCATION_MANAGEMENT'
                when 'public_sector' then 'GOVERNMENT_ADMINISTRATION'
                when 'media' then 'MEDIA_PRODUCTION' end as industry,
            a.employees as numberofemployees, a.in_tam as hs_is_target_account,
            label(a.segment) as segment, a.region
        from accounts a order by a.account_id""",
    "deals.csv": f"""
        with entered as (
            select deal_id,
                max(entered_at) filter (where stage = 'qualification') as q,
                max(entered_at) filter (where stage = 'discovery') as d,
                max(entered_at) filter (where stage = 'proposal') as p,
                max(entered_at) filter (where stage = 'negotiation') as n,
                max(entered_at) filter (where stage = 'closed_won') as w,
                max(entered_at) filter (where stage = 'closed_lost') as l
            from stage_history group by deal_id
        ),
        rivals as (
            select deal_id, string_agg(competitor, ';' order by competitor) as competitors
            from deal_competitors group by deal_id
        )
        select hs_id('3', d.deal_id) as hs_object_id,
            a.name || ' - ' || label(d.product) as dealname,
            {HS_STAGE.format("d.stage")} as dealstage, 'default' as pipeline, d.amount,
            iso(d.closed_at) as closedate, iso(d.created_at) as createdate,
            iso(greatest(d.created_at, e.q, e.d, e.p, e.n, e.w, e.l)) as hs_lastmodifieddate,
            d.is_closed as hs_is_closed, d.is_won as hs_is_closed_won,
            label(d.loss_reason) as closed_lost_reason,
            {HS_OWNER.format("d.owner")} as hubspot_owner_id,
            {HS_SOURCE.format("d.source")} as hs_analytics_source,
            hs_id('1', d.lead_id) as "Associated Contact IDs",
            hs_id('2', d.account_id) as "Associated Company IDs",
            r.competitors, d.margin, label(d.segment) as segment, label(d.product) as product,
            iso(e.q) as hs_date_entered_appointmentscheduled,
            iso(e.d) as hs_date_entered_qualifiedtobuy,
            iso(e.p) as hs_date_entered_presentationscheduled,
            null as hs_date_entered_decisionmakerboughtin,
            iso(e.n) as hs_date_entered_contractsent,
            iso(e.w) as hs_date_entered_closedwon, iso(e.l) as hs_date_entered_closedlost
        from deals d
        left join accounts a using (account_id)
        left join entered e using (deal_id)
        left join rivals r using (deal_id)
        order by d.deal_id""",
    "owners.csv": """
        select '7' || lpad(n::varchar, 7, '0') as id, split_part(name, ' ', 1) as firstName,
            substr(name, length(split_part(name, ' ', 1)) + 2) as lastName,
            lower(replace(name, ' ', '.')) || '@example.com' as email
        from owners order by n""",
    "campaigns.csv": f"""
        select {HS_CAMPAIGN.format("c.campaign_id")} as hs_object_id, c.name as hs_name,
            c.start_date as hs_start_date, c.end_date as hs_end_date,
            label(c.channel) as channel
        from campaigns c order by c.campaign_id""",
    "form_submissions.csv": f"""
        select hs_id('4', t.touchpoint_id) as conversion_id,
            hs_id('1', t.lead_id) as contact_id, iso(t.touched_at) as submitted_at,
            case when t.campaign_id is null then 'Contact us' else c.name end as form_name,
            'https://www.example.com/' || t.channel || '/' as page_url,
            {HS_SOURCE.format("t.channel")} as hs_analytics_source,
            {HS_CAMPAIGN.format("t.campaign_id")} as hs_campaign_id
        from touchpoints t left join campaigns c using (campaign_id)
        where t.kind = 'form' order by t.touchpoint_id""",
    "marketing_events.csv": f"""
        select hs_id('4', t.touchpoint_id) as participation_id,
            hs_id('1', t.lead_id) as contact_id, iso(t.touched_at) as occurred_at,
            coalesce(c.name, 'Meetup') as hs_event_name, 'CONFERENCE' as hs_event_type,
            'ATTENDED' as state, {HS_SOURCE.format("t.channel")} as hs_analytics_source,
            {HS_CAMPAIGN.format("t.campaign_id")} as hs_campaign_id
        from touchpoints t left join campaigns c using (campaign_id)
        where t.kind = 'event' order by t.touchpoint_id""",
    "web_events.csv": f"""
        select hs_id('4', t.touchpoint_id) as id, hs_id('1', t.lead_id) as objectId,
            'contact' as objectType,
            case t.kind when 'visit' then 'e_visited_page' when 'ad_click' then 'e_ad_interaction'
                when 'email_click' then 'e_email_click' end as eventType,
            iso(t.touched_at) as occurredAt,
            {HS_SOURCE.format("t.channel")} as hs_analytics_source,
            {HS_CAMPAIGN.format("t.campaign_id")} as hs_campaign_id
        from touchpoints t
        where t.kind in ('visit', 'ad_click', 'email_click') order by t.touchpoint_id""",
    "engagements.csv": f"""
        select hs_id('5', a.activity_id) as hs_object_id, upper(a.kind) as hs_engagement_type,
            iso(a.at) as hs_timestamp, {HS_OWNER.format("a.owner")} as hubspot_owner_id,
            hs_id('1', a.lead_id) as "Associated Contact IDs",
            hs_id('3', a.deal_id) as "Associated Deal IDs"
        from activities a order by a.activity_id""",
    "spend.csv": f"""
        select {HS_CAMPAIGN.format("campaign_id")} as campaign_id, channel, month, amount
        from spend order by campaign_id, month""",
    "forecasts.csv": "select * from forecasts order by period, owner",
    "targets.csv": "select * from targets order by period, team, metric, owner, channel",
}

SF_OWNER = "(SELECT sf_id('005', n::VARCHAR) FROM owners WHERE name = {0})"
SF_QUEUE = "'00G5g000000000001'"
SF_STAGE = (
    "CASE {0} WHEN 'qualification' THEN 'Qualification' WHEN 'discovery' THEN "
    "'Needs Analysis' WHEN 'proposal' THEN 'Proposal/Price Quote' WHEN 'negotiation' "
    "THEN 'Negotiation/Review' WHEN 'closed_won' THEN 'Closed Won' "
    "WHEN 'closed_lost' THEN 'Closed Lost' END"
)
SF_MEMBER = (
    "CASE {0} WHEN 'ad_click' THEN 'Clicked Ad' WHEN 'email_click' THEN "
    "'Clicked Email' WHEN 'event' THEN 'Attended' WHEN 'form' THEN 'Filled Out Form' "
    "WHEN 'visit' THEN 'Visited Page' END"
)
SF_TOUCH_TYPE = (
    "CASE {0} WHEN 'ad_click' THEN 'Ad Click' WHEN 'email_click' THEN "
    "'Email Click' WHEN 'event' THEN 'Event' WHEN 'form' THEN 'Form' "
    "WHEN 'visit' THEN 'Web Visit' END"
)
# The person behind a lead id: the contact once the lead is converted.
SF_WHO = (
    "CASE WHEN {0} IS NULL THEN NULL WHEN (SELECT converted_deal_id FROM leads "
    "WHERE lead_id = {0}) IS NOT NULL THEN sf_id('003', {0}) ELSE sf_id('00Q', {0}) END"
)
# A campaign member is the first touch of a lead in a campaign; other touches are tasks.
SF_MEMBERS = """
    select *, campaign_id is not null and row_number() over (
        partition by campaign_id, lead_id order by touched_at, kind, touchpoint_id) = 1
        as is_member
    from touchpoints"""

SALESFORCE = {
    "Lead.csv": f"""
        select sf_id('00Q', l.lead_id) as Id, iso(l.created_at) as CreatedDate,
            iso(greatest(l.created_at, l.mql_at, l.sal_at, l.sql_at, l.rejected_at))
                as LastModifiedDate,
            case l.status when 'open' then 'Open - Not Contacted'
                when 'working' then 'Working - Contacted' when 'qualified' then 'Qualified'
                when 'rejected' then 'Closed - Not Converted'
                when 'converted' then 'Closed - Converted' end as Status,
            label(l.source) as LeadSource,
            coalesce({SF_OWNER.format("l.owner")}, {SF_QUEUE}) as OwnerId,
            a.name as Company, l.converted_deal_id is not null as IsConverted,
            d.created_at::date as ConvertedDate,
            sf_id('006', l.converted_deal_id) as ConvertedOpportunityId,
            case when d.deal_id is not null then sf_id('001', l.account_id) end
                as ConvertedAccountId,
            case when d.deal_id is not null then sf_id('003', l.lead_id) end
                as ConvertedContactId,
            sf_id('001', l.account_id) as Account__c,
            sf_id('701', l.campaign_id) as Primary_Campaign__c,
            label(l.segment) as Segment__c, l.region as Region__c, l.score as Lead_Score__c,
            iso(l.mql_at) as MQL_Date__c, iso(l.sal_at) as SAL_Date__c,
            iso(l.sql_at) as SQL_Date__c, iso(l.rejected_at) as Rejected_Date__c,
            label(l.reject_reason) as Rejection_Reason__c
        from leads l
        left join accounts a using (account_id)
        left join deals d on d.deal_id = l.converted_deal_id
        order by l.lead_id""",
    "Contact.csv": """
        select sf_id('003', l.lead_id) as Id, sf_id('001', l.account_id) as AccountId,
            iso(d.created_at) as CreatedDate
        from leads l join deals d on d.deal_id = l.converted_deal_id
        order by l.lead_id""",
    "Account.csv": """
        select sf_id('001', a.account_id) as Id, a.name as Name,
            case a.industry when 'software' then 'Technology'
                when 'financial_services' then 'Finance' when 'healthcare' then 'Healthcare'
                when 'manufacturing' then 'Manufacturing' when 'retail' then 'Retail'
                when 'education' then 'Education' when 'public_sector' then 'Government'
                when 'media' then 'Media' end as Industry,
            a.employees as NumberOfEmployees, label(a.segment) as Segment__c,
            a.region as Region__c, a.in_tam as In_TAM__c
        from accounts a order by a.account_id""",
    "Opportunity.csv": f"""
        select sf_id('006', d.deal_id) as Id, a.name || ' - ' || label(d.product) as Name,
            sf_id('001', d.account_id) as AccountId, sf_id('701', l.campaign_id) as CampaignId,
            {SF_STAGE.format("d.stage")} as StageName, d.amount as Amount,
            case d.stage when 'closed_won' then 100 when 'closed_lost' then 0
                when 'qualification' then 10 when 'discovery' then 20 when 'proposal' then 75
                else 90 end as Probability,
            d.closed_at::date as CloseDate, d.is_closed as IsClosed, d.is_won as IsWon,
            case when d.is_won then 'Closed' when d.is_closed then 'Omitted'
                else 'Pipeline' end as ForecastCategory,
            label(d.source) as LeadSource, 'New Business' as Type,
            {SF_OWNER.format("d.owner")} as OwnerId, iso(d.created_at) as CreatedDate,
            label(d.loss_reason) as Loss_Reason__c, d.margin as Margin__c,
            label(d.segment) as Segment__c, label(d.product) as Product__c
        from deals d
        left join accounts a using (account_id)
        left join leads l on l.lead_id = d.lead_id
        order by d.deal_id""",
    "OpportunityHistory.csv": f"""
        select '0085g00000' || lpad((row_number() over (order by h.deal_id, h.entered_at,
                h.stage))::varchar, 8, '0') as Id,
            sf_id('006', h.deal_id) as OpportunityId, iso(h.entered_at) as CreatedDate,
            {SF_STAGE.format("h.stage")} as StageName, d.amount as Amount,
            d.closed_at::date as CloseDate
        from stage_history h join deals d using (deal_id)
        order by h.deal_id, h.entered_at, h.stage""",
    "OpportunityCompetitor.csv": """
        select '00J5g00000' || lpad((row_number() over (order by c.deal_id, c.competitor))
                ::varchar, 8, '0') as Id,
            sf_id('006', c.deal_id) as OpportunityId, c.competitor as CompetitorName,
            c.notes as Strengths, null as Weaknesses
        from deal_competitors c order by c.deal_id, c.competitor""",
    "Campaign.csv": """
        select sf_id('701', c.campaign_id) as Id, c.name as Name, label(c.channel) as Type,
            c.start_date as StartDate, c.end_date as EndDate,
            (select sum(s.amount) from spend s where s.campaign_id = c.campaign_id)
                as ActualCost
        from campaigns c order by c.campaign_id""",
    "CampaignMember.csv": f"""
        select sf_id('00v', t.touchpoint_id) as Id, sf_id('701', t.campaign_id) as CampaignId,
            sf_id('00Q', t.lead_id) as LeadId,
            case when l.converted_deal_id is not null then sf_id('003', t.lead_id) end
                as ContactId,
            {SF_MEMBER.format("t.kind")} as Status, true as HasResponded,
            t.touched_at::date as FirstRespondedDate, iso(t.touched_at) as CreatedDate
        from ({SF_MEMBERS}) t join leads l using (lead_id)
        where t.is_member order by t.touchpoint_id""",
    "Task.csv": f"""
        select sf_id2('00T', '1', t.touchpoint_id) as Id, {SF_WHO.format("t.lead_id")} as WhoId,
            sf_id('701', t.campaign_id) as WhatId, t.touched_at::date as ActivityDate,
            iso(t.touched_at) as CreatedDate, {SF_TOUCH_TYPE.format("t.kind")} as Type,
            'Task' as TaskSubtype, {SF_TOUCH_TYPE.format("t.kind")} || ': '
                || coalesce(c.name, label(t.channel)) as Subject,
            'Completed' as Status, '0055g000000000000' as OwnerId,
            label(t.channel) as Channel__c
        from ({SF_MEMBERS}) t left join campaigns c using (campaign_id)
        where not t.is_member
        union all
        select sf_id2('00T', '2', a.activity_id), {SF_WHO.format("a.lead_id")},
            sf_id('006', a.deal_id), a.at::date, iso(a.at), label(a.kind), label(a.kind),
            label(a.kind) || case when a.deal_id is null then ' with lead'
                else ' about the deal' end,
            'Completed', {SF_OWNER.format("a.owner")}, null
        from activities a where a.kind <> 'meeting'
        order by Id""",
    "Event.csv": f"""
        select sf_id('00U', a.activity_id) as Id, {SF_WHO.format("a.lead_id")} as WhoId,
            sf_id('006', a.deal_id) as WhatId, a.at::date as ActivityDate,
            iso(a.at) as ActivityDateTime, iso(a.at) as StartDateTime,
            iso(a.at - interval 2 days) as CreatedDate, 'Meeting' as Type,
            'Meeting' as Subject, {SF_OWNER.format("a.owner")} as OwnerId
        from activities a where a.kind = 'meeting' order by a.activity_id""",
    "User.csv": """
        select '0055g000000000000' as Id, 'Marketing Automation' as Name,
            'Marketing' as FirstName, 'Automation' as LastName,
            'marketing.automation@example.com' as Email
        union all
        select sf_id('005', n::varchar), name, split_part(name, ' ', 1),
            substr(name, length(split_part(name, ' ', 1)) + 2),
            lower(replace(name, ' ', '.')) || '@example.com'
        from owners order by Id""",
    "spend.csv": """
        select sf_id('701', campaign_id) as campaign_id, channel, month, amount
        from spend order by campaign_id, month""",
    "forecasts.csv": "select * from forecasts order by period, owner",
    "targets.csv": "select * from targets order by period, team, metric, owner, channel",
}

EXPORTS = {"hubspot": HUBSPOT, "salesforce": SALESFORCE}


def write_exports(con: duckdb.DuckDBPyConnection, out_dir: Path, format: str) -> dict[str, int]:
    """Write the contract tables held by ``con`` as ``format`` export files; rows per file."""
    for sql in _HELPERS:
        con.execute(sql)
    rows = {}
    for name, sql in EXPORTS[format].items():
        relation = con.sql(sql)
        relation.write_csv(str(out_dir / name), header=True)
        rows[name] = scalar(con, f"SELECT count(*) FROM ({sql})")
    return rows

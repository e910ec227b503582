-- Salesforce Account -> accounts. Segment__c, Region__c and In_TAM__c are custom fields
-- (map yours with data_columns).
select
    a.__file,
    a.__rec,
    a.Id as account_id,
    a.Name as name,
    rp_snake(a.Segment__c) as segment,
    sf_industry(a.Industry) as industry,
    a.Region__c as region,
    a.NumberOfEmployees as employees,
    a.In_TAM__c as in_tam
from salesforce.Account as a

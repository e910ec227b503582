-- Clean-up functions shared by the HubSpot mappings (temporary: gone after the load).
-- Each maps HubSpot's internal values AND its display labels ('PAID_SEARCH' and
-- 'Paid Search' both give 'paid_search'); unknown values become snake_case as they are.
-- Edit the lists to fit your portal. rp_key and rp_snake come with revpages.

-- Epoch milliseconds (API v1 exports) to a readable UTC time; anything else unchanged.
CREATE OR REPLACE TEMP MACRO hs_time(s) AS CASE
    WHEN regexp_full_match(trim(s), '[0-9]{12,13}')
        THEN strftime(make_timestamp(trim(s)::BIGINT * 1000), '%Y-%m-%d %H:%M:%S')
    ELSE s END;

-- HubSpot source (hs_analytics_source) to a contract channel.
CREATE OR REPLACE TEMP MACRO hs_channel(s) AS CASE rp_key(s)
    WHEN 'paidsearch' THEN 'paid_search'
    WHEN 'paidsocial' THEN 'paid_social'
    WHEN 'organicsearch' THEN 'organic'
    WHEN 'emailmarketing' THEN 'email'
    WHEN 'offline' THEN 'events'
    WHEN 'offlinesources' THEN 'events'
    WHEN 'referrals' THEN 'partner'
    WHEN 'directtraffic' THEN 'direct'
    WHEN 'othercampaigns' THEN 'content'
    WHEN 'socialmedia' THEN 'organic_social'
    WHEN 'organicsocial' THEN 'organic_social'
    ELSE rp_snake(s) END;

-- HubSpot company industry to the contract's industries.
CREATE OR REPLACE TEMP MACRO hs_industry(s) AS CASE rp_key(s)
    WHEN 'computersoftware' THEN 'software'
    WHEN 'informationtechnologyandservices' THEN 'software'
    WHEN 'financialservices' THEN 'financial_services'
    WHEN 'banking' THEN 'financial_services'
    WHEN 'insurance' THEN 'financial_services'
    WHEN 'hospitalhealthcare' THEN 'healthcare'
    WHEN 'machinery' THEN 'manufacturing'
    WHEN 'industrialautomation' THEN 'manufacturing'
    WHEN 'educationmanagement' THEN 'education'
    WHEN 'governmentadministration' THEN 'public_sector'
    WHEN 'mediaproduction' THEN 'media'
    ELSE rp_snake(s) END;

-- Lead status (hs_lead_status) to open, working, qualified, rejected or converted.
CREATE OR REPLACE TEMP MACRO hs_lead_status(s) AS CASE rp_key(s)
    WHEN 'new' THEN 'open'
    WHEN 'open' THEN 'open'
    WHEN 'inprogress' THEN 'working'
    WHEN 'attemptedtocontact' THEN 'working'
    WHEN 'connected' THEN 'working'
    WHEN 'badtiming' THEN 'working'
    WHEN 'qualified' THEN 'qualified'
    WHEN 'unqualified' THEN 'rejected'
    WHEN 'opendeal' THEN 'converted'
    ELSE rp_snake(s) END;

-- Event type of the web events export to a touch kind.
CREATE OR REPLACE TEMP MACRO hs_touch_kind(s) AS CASE rp_key(s)
    WHEN 'evisitedpage' THEN 'visit'
    WHEN 'eadinteraction' THEN 'ad_click'
    WHEN 'eadclick' THEN 'ad_click'
    WHEN 'eemailclick' THEN 'email_click'
    WHEN 'emarketingemailclick' THEN 'email_click'
    ELSE rp_snake(regexp_replace(s, '^e_', '')) END;

-- Engagement type to call, email or meeting (NULL: not a sales activity).
CREATE OR REPLACE TEMP MACRO hs_activity_kind(s) AS CASE rp_key(s)
    WHEN 'call' THEN 'call'
    WHEN 'calls' THEN 'call'
    WHEN 'email' THEN 'email'
    WHEN 'emails' THEN 'email'
    WHEN 'incomingemail' THEN 'email'
    WHEN 'meeting' THEN 'meeting'
    WHEN 'meetings' THEN 'meeting'
    END;

-- The first id of a multi-value association ('123;456' -> '123').
CREATE OR REPLACE TEMP MACRO hs_first_id(s) AS nullif(trim(split_part(s, ';', 1)), '');

-- An owner's name from the owners export, else the value as exported (screen exports
-- already show the name).
CREATE OR REPLACE TEMP MACRO hs_owner(first_name, last_name, exported) AS
    coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), exported);

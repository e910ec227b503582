-- Clean-up functions shared by the Salesforce mappings (temporary: gone after the load).
-- Picklist values are matched in any case and spacing; unknown values become snake_case
-- as they are. Edit the lists to fit your org. rp_key and rp_snake come with revpages.

-- LeadSource and Campaign.Type to a contract channel.
CREATE OR REPLACE TEMP MACRO sf_channel(s) AS CASE rp_key(s)
    WHEN 'web' THEN 'organic'
    WHEN 'phoneinquiry' THEN 'direct'
    WHEN 'partnerreferral' THEN 'partner'
    WHEN 'partners' THEN 'partner'
    WHEN 'referralprogram' THEN 'partner'
    WHEN 'conference' THEN 'events'
    WHEN 'seminarconference' THEN 'events'
    WHEN 'tradeshow' THEN 'events'
    WHEN 'webinar' THEN 'content'
    WHEN 'advertisement' THEN 'paid_search'
    WHEN 'bannerads' THEN 'paid_social'
    ELSE rp_snake(s) END;

-- Account.Industry to the contract's industries.
CREATE OR REPLACE TEMP MACRO sf_industry(s) AS CASE rp_key(s)
    WHEN 'technology' THEN 'software'
    WHEN 'finance' THEN 'financial_services'
    WHEN 'banking' THEN 'financial_services'
    WHEN 'insurance' THEN 'financial_services'
    WHEN 'machinery' THEN 'manufacturing'
    WHEN 'government' THEN 'public_sector'
    WHEN 'entertainment' THEN 'media'
    ELSE rp_snake(s) END;

-- Lead.Status to open, working, qualified, rejected or converted.
CREATE OR REPLACE TEMP MACRO sf_lead_status(s) AS CASE rp_key(s)
    WHEN 'opennotcontacted' THEN 'open'
    WHEN 'workingcontacted' THEN 'working'
    WHEN 'closedconverted' THEN 'converted'
    WHEN 'closednotconverted' THEN 'rejected'
    WHEN 'unqualified' THEN 'rejected'
    ELSE rp_snake(s) END;

-- Task/Event Type (or TaskSubtype) to call, email or meeting (NULL: none of them).
CREATE OR REPLACE TEMP MACRO sf_activity_kind(s) AS CASE rp_key(s)
    WHEN 'call' THEN 'call'
    WHEN 'email' THEN 'email'
    WHEN 'listemail' THEN 'email'
    WHEN 'meeting' THEN 'meeting'
    END;

-- Task Type of a marketing touch synced by marketing automation (NULL: not a touch).
CREATE OR REPLACE TEMP MACRO sf_touch_kind(s) AS CASE rp_key(s)
    WHEN 'adclick' THEN 'ad_click'
    WHEN 'emailclick' THEN 'email_click'
    WHEN 'event' THEN 'event'
    WHEN 'formfill' THEN 'form'
    WHEN 'form' THEN 'form'
    WHEN 'webvisit' THEN 'visit'
    END;

-- CampaignMember.Status to a touch kind.
CREATE OR REPLACE TEMP MACRO sf_member_kind(s) AS CASE rp_key(s)
    WHEN 'clickedad' THEN 'ad_click'
    WHEN 'clickedemail' THEN 'email_click'
    WHEN 'attended' THEN 'event'
    WHEN 'registered' THEN 'event'
    WHEN 'filledoutform' THEN 'form'
    WHEN 'responded' THEN 'form'
    WHEN 'visitedpage' THEN 'visit'
    ELSE rp_snake(s) END;

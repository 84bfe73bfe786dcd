-- Why the dialer paused a campaign (it failed 3 rounds in a row), shown in GET /campaigns/:id;
-- NULL when an operator paused it or it is not paused. Cleared by every lifecycle change.
ALTER TABLE campaigns ADD COLUMN paused_reason TEXT;

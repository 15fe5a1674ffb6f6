-- Custom SQL migration file, put your code below! --
-- Issue 14: settings were secret by name; keep every existing one whose name says so secret now that the column rules.
UPDATE "blog"."app_settings" SET "is_secret" = true WHERE "key" ~ '(^|_)(key|secret|token|password)$';

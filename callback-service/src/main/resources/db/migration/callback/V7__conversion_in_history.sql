-- What auto-fit converted, told with the QUEUED status that follows validation's acceptance (ARCHITECTURE §6, §12):
-- shown as "converted" in the history and the webhooks. Null on every other row.
ALTER TABLE status_history
    ADD COLUMN converted_media_id  text,
    ADD COLUMN converted_from      text,
    ADD COLUMN converted_to        text,
    ADD COLUMN converted_size_from bigint,
    ADD COLUMN converted_size_to   bigint;

-- An evidence document's media type is kept, and a download is sent as it (issue 10): the type the
-- uploader's browser declared, only as far as the file's own bytes agree, from a short list
-- (activities/media-type.ts checkedMediaType). The column has been in the table since 001, but
-- nothing wrote it: every row holds NULL, so the check below is validated at once, and such a
-- document is still sent by what its bytes are.
--
-- The database itself refuses any other type, whoever writes the row: a type like text/html or
-- image/svg+xml on an upload would have the browser run it as a page of the portal. The list is
-- ALLOWED_MEDIA_TYPES there, in the same order (test/server/media-type.test.ts compares them);
-- a type added there needs a migration that replaces this constraint.
ALTER TABLE evidence ADD CONSTRAINT evidence_media_type CHECK (
  media_type IS NULL OR (kind = 'document' AND media_type IN (
    'application/pdf',
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/tiff',
    'image/webp',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.oasis.opendocument.text',
    'application/vnd.oasis.opendocument.spreadsheet',
    'application/vnd.oasis.opendocument.presentation',
    'application/zip',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'text/plain',
    'text/csv'
  ))
);

COMMENT ON COLUMN evidence.media_type IS
  'The document''s media type: declared by the uploader, kept only where its bytes agree (activities/media-type.ts); the download''s Content-Type. NULL: none known, sent by its bytes or as application/octet-stream.';

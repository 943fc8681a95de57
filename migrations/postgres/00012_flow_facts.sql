-- What a sign-in learned about itself on the way (server/access): the risk
-- detections of its first factor, whether the password was changed during
-- it. Conditional Access reads them at every later step of the flow.

-- +goose Up
ALTER TABLE flows ADD COLUMN facts TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE flows DROP COLUMN facts;

-- Set when an admin gives a user a temporary password (lib/auth/passwords.ts).
ALTER TABLE "user" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

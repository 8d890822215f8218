// What an image name is: the URL-safe name a plan gives each image (lucid-session-api), derived from its
// repository, and the one pattern every route, form and the plan parser check it with (128 characters at most).
export const IMAGE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

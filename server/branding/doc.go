// Package branding is company branding (SEED-REQUIREMENTS area h): a
// tenant's sign-in look in the shape of Microsoft Graph's
// organizationalBranding, with per-language localizations, validated uploads
// and a draft that can be previewed before it is published.
//
// # What it owns
//
//   - Elements, the 15 elements of the seed (H-07) as Graph fields, every one
//     optional (H-03), and Merge, the element-by-element fallback of a
//     language's localization to the default branding (H-28).
//   - Validate (colours, URLs, text limits; sign-in page text through
//     subpackage markup, H-22..H-24), CheckImage (PNG or JPEG by content,
//     exact pixel sizes and byte limits, H-05, H-09, H-10, H-15, H-19, H-20)
//     and SanitizeCSS (custom CSS reduced to body, a and .ext-* selectors, no
//     url(), @import, expression() or escapes, at most 25 KB, H-14).
//   - Service: get, patch (a Graph-style JSON merge patch), upload an image
//     or CSS, delete a localization, reset (H-26), publish, discard, the
//     preview path, and Brand, the page.BrandSource that turns the published
//     branding into what server/page renders. The admin API
//     (/v1.0/organization/{id}/branding) and `sigil branding` are thin
//     wrappers over it. Every change writes its directory audit record
//     (directory.Record, K-10) in its own transaction, whoever calls.
//   - Handler: the assets at /_/branding/{tenantID}/{sha256}.{png,jpg,css}
//     (content-hash names, cached for a year, exact Content-Type, nosniff, a
//     sandbox CSP) and the preview at /{tenant}/branding-preview/{previewID}.
//
// # How it is stored
//
// Each localization of each stage (draft, published) is one storage.Branding
// row holding the Elements as JSON, plus the name of its theme: a stylesheet
// generated on save from the effective elements (page colour, background
// image, then the sanitised custom CSS) so pages link it under a strict CSP
// (style-src 'self') without inline style. Images and stylesheets are
// storage.BrandingAsset rows named by their SHA-256; an edit deletes the
// assets neither stage names, in the same transaction. Nodes keep nothing in
// memory, so every replica serves the same branding at once.
//
// # Decisions where the seed is silent
//
//   - Footer links: Sigil has no privacy or terms page of its own, so the
//     footer shows "Privacy & cookies" and "Terms of use" only when the tenant
//     gives a URL; like the SSPR URL it is shown as text, never as a link
//     (H-06, H-16, H-17, H-25).
//   - The sign-in page title and description replace the username page's
//     heading and subtitle; the square logo is the apple-touch-icon; the dark
//     square logo is stored and served for API parity only.
//   - Text limits other than the sign-in page text (title 100, description
//     256, username hint 64, footer texts 64 characters) are Sigil's.
//   - The preview URL carries an unguessable ID instead of a sign-in: the
//     draft it shows becomes public on publishing anyway.
//
// # Boundaries
//
// It must not render pages (server/page does, from the Brand it hands over),
// decide whose branding a sign-in shows (server/authflow's home realm
// discovery does) or check who may change branding: the admin API's
// authorization (Organizational Branding Administrator, H-02) sits in front
// of Service.
package branding

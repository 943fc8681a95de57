// Package markup validates and renders the tenant's "Sign-in page text"
// (branding element 11, H-07) as safe HTML.
//
// The seed (H-22, H-23) allows Unicode text of at most 1,024 characters with
// this formatting:
//
//   - a blank line (Enter pressed twice) starts a new paragraph: <p>;
//   - hyperlink [text](link): <a href="link" rel="noopener noreferrer">;
//   - bold **text**: <strong>;
//   - italics *text* or _text_: <em>;
//   - underline ++text++: <u>.
//
// The seed lists _text_ for both bold and italics. This package assumes, as
// SEED-REQUIREMENTS notes, that __text__ (double underscore) is bold and
// _text_ (single underscore) is italics.
//
// Safety rules, which hold for every input:
//
//   - every character of the text is HTML-escaped; the only elements emitted
//     are p, strong, em, u and a, and the only attributes are href and rel on a;
//   - a link is emitted only for an absolute https URL with a host and no user
//     information, or a mailto URL; any other scheme (javascript:, data:,
//     vbscript:, http:, relative or protocol-relative //) renders as the plain
//     text "text (link)", never as a link;
//   - links never nest; a marker without a matching closer renders literally;
//     markers never span paragraphs;
//   - RenderLinksAsText renders every hyperlink as plain text, for native
//     (desktop and mobile app) environments (H-24).
//
// Emphasis follows simple flanking rules so ordinary text keeps its symbols:
// an opening marker must be followed by a non-space character, a closing
// marker preceded by one; underscore markers do not open or close inside a
// word (snake_case stays as typed); a single * or _ next to another of the
// same character is not a single-character marker. An opening marker is
// closed by the first marker of the same kind that can close it, and
// constructs nest at most 8 deep (deeper markers render literally), so the
// cost of rendering stays linear in the length of the text for each level.
//
// The package is pure: it does no I/O, reads no storage and knows nothing of
// tenants or HTTP. It must not emit any element or attribute other than those
// listed above.
package markup

// Package page renders Sigil's branded browser pages (sign-in steps, consent,
// sign-out and the error page) from the embedded templates, and serves the
// static assets they link to.
//
// A Renderer parses every template once, at construction; an operator may
// replace any template or asset with a file of the same name in an override
// directory. Assets are addressed by content-hash URLs so they can be cached
// for a year and still change on upgrade.
//
// # Language, direction and branding
//
// Each page is written in one language of the catalogue (English, German,
// French, Spanish, Arabic, Hebrew), picked by Languages and Pick from the
// sign-in request's ui_locales (WithUILocales, or the request's own query)
// and then Accept-Language; English when none matches. Arabic and Hebrew set
// dir="rtl" on <html>, and the stylesheet uses logical properties
// (inline-start/end, flex order), so the layout mirrors by itself (H-29).
//
// The page's look is a Brand: the one put in the context by WithBrand (the
// branding preview), else the BrandSource's branding of the tenant named by
// WithBrandTenant (home realm discovery: a guest's home tenant, H-33) or of
// the tenant the request resolved (server/tenancy), else DefaultBrand. A
// branding that fails to load is logged and replaced by the default: a
// sign-in page is never refused for its looks.
//
// # Conventions for a new page (every page follows them)
//
// A page is templates/<name>.html defining two blocks, "title" (the browser
// tab, without the suffix) and "content" (the inside of the sign-in box).
// base.html draws everything around it: the background (.ext-background-image,
// or .ext-vertical-split-background-image-container for the partial-screen
// template), the header (.ext-header, .ext-header-logo), the box
// (.ext-sign-in-box inside .ext-middle or .ext-vertical-split-main-section)
// with the banner logo (.ext-banner-logo), the sign-in page text
// (.ext-boilerplate-text) and the footer (.ext-footer, .ext-footer-links,
// .ext-footer-item). These are the class names of Entra's CSS template
// reference (H-34..H-39), so a tenant's custom CSS restyles every page; use
// them, and no other class, for these roles inside "content":
//
//	heading          <h1 class="ext-title" id="page-title">      (one per page)
//	line below it    <p class="ext-subtitle">
//	other text       <p class="ext-description">
//	who signs in     <div class="ext-identity">
//	field label      <label class="ext-label" for="ID">           (every input has one)
//	text input       <input id="ID" class="ext-input ext-text-box">, plus
//	                 " ext-has-error" and aria-invalid="true" aria-describedby="ID-error"
//	                 when the field is wrong
//	field error      <p id="ID-error" class="ext-error" role="alert">
//	buttons          <div class="ext-button-row"> holding
//	                 <button class="ext-button ext-primary"> (the default action, last)
//	                 and <button class="ext-button ext-secondary">
//	link-like button <button class="ext-link">
//	other sign-in
//	options          <div class="ext-promoted-fed-cred-box">
//	SSPR line        {{template "sspr-username" $}} / {{template "sspr-password" $}}
//
// Forms post (303 after POST) with a hidden csrf_token; the first field or
// the default button has autofocus; the page works without JavaScript (script,
// where unavoidable as for WebAuthn, is a file under static/ loaded with
// {{static "name.js"}}: the CSP forbids inline script, inline style and style
// attributes). Put dir="auto" on fields and spans that show user-typed text.
//
// # Translating page strings
//
// Every string a page shows is written in English and passed through the
// view's T method: {{$.T "Enter password"}}, with %s verbs for values:
// {{$.T "to continue to %s" .AppName}} ($ because "content" often runs inside
// {{with .Data}}). Messages that Go code passes in Data (form errors, the
// error page's title and message) are English catalogue keys too; templates
// print them with {{$.T .Error}}. Add each new English string to
// catalogueKeys (catalogue_en.go) and its translation to catalogue_de.go,
// _fr, _es, _ar and _he; TestEveryTemplateStringIsTranslated fails for a
// template string missing from any language. A message not in the catalogue
// is shown in English.
//
// # Boundaries
//
// It owns the HTML and how it reaches the browser (status, content type,
// caching). It must not decide what a page says about a request: callers pass
// the data and the message, and it never reveals internal errors beyond the
// request ID (server/requestid) that the error page shows. It does not store
// or validate branding: server/branding does, and hands it over as a Brand.
package page

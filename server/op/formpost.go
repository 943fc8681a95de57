package op

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
)

// formPostTemplate renders response_mode=form_post (OAuth 2.0 Form Post Response
// Mode). It has no inline script: /_/static/form_post.js submits the form, and the
// button works without JavaScript. The `iss` parameter (RFC 9207) is added when
// fosite's parameters lack it (error responses).
var formPostTemplate = template.Must(template.New("form_post").Funcs(template.FuncMap{
	"issuer": func() string { return "" },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continue to the application</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_/static/sigil.css">
</head>
<body class="ext-background">
<main class="ext-middle">
<div class="ext-sign-in-box">
<p class="ext-banner-logo">Sigil</p>
<h1 class="ext-title">Returning you to the application</h1>
<p class="ext-description">If nothing happens, press Continue.</p>
<form method="post" action="{{ .RedirURL }}" id="form-post-response">
{{- range $key, $values := .Parameters }}{{ range $v := $values }}
<input type="hidden" name="{{ $key }}" value="{{ $v }}">{{ end }}{{ end }}
{{- if not (.Parameters.Has "iss") }}
<input type="hidden" name="iss" value="{{ issuer }}">{{ end }}
<div class="ext-button-row">
<button type="submit" class="ext-button ext-primary">Continue</button>
</div>
</form>
</div>
</main>
<footer class="ext-footer">Powered by Sigil</footer>
<script src="/_/static/form_post.js"></script>
</body>
</html>`))

// GetFormPostHTMLTemplate binds the form-post template to the tenant's issuer.
func (c *tenantConfig) GetFormPostHTMLTemplate(ctx context.Context) *template.Template {
	iss := c.issuer(ctx)
	t, err := formPostTemplate.Clone()
	if err != nil {
		return formPostTemplate
	}
	return t.Funcs(template.FuncMap{"issuer": func() string { return iss }})
}

// setFormPostCSP lets the form-post page submit to the client's redirect URI and
// load only Sigil's own script and style.
func setFormPostCSP(w http.ResponseWriter, redirect *url.URL) {
	if redirect == nil {
		return
	}
	origin := redirect.Scheme + "://" + redirect.Host
	w.Header().Set("Content-Security-Policy",
		"default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; form-action "+origin+
			"; frame-ancestors 'none'; base-uri 'none'")
}

// issWriter adds the `iss` authorization response parameter (RFC 9207) to the
// query of a redirect that fosite writes, when it is not there yet.
type issWriter struct {
	http.ResponseWriter
	issuer string
}

func (w *issWriter) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			q := u.Query()
			if !q.Has("iss") {
				q.Set("iss", w.issuer)
				u.RawQuery = q.Encode()
				w.Header().Set("Location", u.String())
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

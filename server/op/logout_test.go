package op_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLogoutWithHintRedirectsToTheRegisteredURIAndRevokesSessionTokens(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		tok := f.signInWithCode(f.oauth2Config(f.web, f.secret), "nonce-logout")
		q := url.Values{
			"id_token_hint":            {tok.Extra("id_token").(string)},
			"post_logout_redirect_uri": {"https://rp.example.test/signed-out"},
			"state":                    {"bye-123"},
		}
		resp := f.authorize(f.srv.URL + "/" + f.tenant.ID + "/oauth2/v2.0/logout?" + q.Encode())
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://rp.example.test/signed-out?state=bye-123" {
			t.Fatalf("logout: status %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if introspect(t, f, tok.RefreshToken)["active"] != false || introspect(t, f, tok.AccessToken)["active"] != false {
			t.Error("tokens of the signed-out session are still active")
		}
	})
}

func TestLogoutRefusesUnsafeRequests(t *testing.T) {
	f := newFixture(t, sqlite)
	tok := f.signInWithCode(f.oauth2Config(f.web, f.secret), "nonce-logout")
	hint := tok.Extra("id_token").(string)
	other, otherSecret := f.newApp(f.tenant.ID, false, "ES256")
	otherHint := f.signInWithCode(f.oauth2Config(other, otherSecret), "nonce-other").Extra("id_token").(string)
	parts := strings.Split(hint, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	for name, q := range map[string]url.Values{
		"unregistered post-logout URI":    {"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://evil.example/"}},
		"post-logout URI without client":  {"post_logout_redirect_uri": {"https://rp.example.test/signed-out"}},
		"tampered id_token_hint":          {"id_token_hint": {tampered}, "post_logout_redirect_uri": {"https://rp.example.test/signed-out"}},
		"hint for another client":         {"id_token_hint": {otherHint}, "client_id": {f.web.ID}},
		"registered URI of a near prefix": {"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://rp.example.test/signed-out/x"}},
	} {
		t.Run(name, func(t *testing.T) {
			resp := f.authorize(f.srv.URL + "/" + f.tenant.ID + "/oauth2/v2.0/logout?" + q.Encode())
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "ERROR PAGE") {
				t.Errorf("status %d Location %q body %q: want the error page", resp.StatusCode, resp.Header.Get("Location"), body)
			}
		})
	}
	t.Run("without a hint a GET only asks for confirmation", func(t *testing.T) {
		resp := f.authorize(f.srv.URL + "/" + f.tenant.ID + "/oauth2/v2.0/logout")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(body) != "PAGE: logout_confirm" {
			t.Errorf("status %d body %q", resp.StatusCode, body)
		}
		if introspect(t, f, tok.RefreshToken)["active"] != true {
			t.Error("a GET without a hint signed the user out")
		}
	})
}

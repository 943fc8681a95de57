// Command example is a small API protected by Sigil access tokens through
// package apiauth: GET /hello needs any valid token for the API; GET /payroll
// also needs a sign-in with MFA within the last ten minutes, and answers
// RFC 9470's insufficient_user_authentication challenge otherwise, so the
// client can send the user back to Sigil with acr_values and max_age.
//
//	go run ./apiauth/example -issuer https://login.example.com/{tenantID}/v2.0 -audience {client ID}
//	curl -H "Authorization: Bearer $TOKEN" localhost:9090/payroll
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/apiauth"
)

func main() {
	issuer := flag.String("issuer", "", "the tenant's issuer, https://host/{tenantID}/v2.0 (required)")
	audience := flag.String("audience", "", "the audience tokens for this API carry: its client ID (required)")
	listen := flag.String("listen", "127.0.0.1:9090", "address to serve on")
	flag.Parse()
	if *issuer == "" || *audience == "" {
		flag.Usage()
		log.Fatal("-issuer and -audience are required")
	}
	v, err := apiauth.New(context.Background(), apiauth.Config{Issuer: *issuer, Audience: *audience})
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *listen, Handler: newMux(v), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("example API on http://%s (issuer %s)", *listen, *issuer)
	log.Fatal(srv.ListenAndServe())
}

// payrollRequirement: MFA (or stronger) within the last ten minutes.
var payrollRequirement = apiauth.Requirement{ACRValues: apiauth.AtLeastMFA, MaxAge: 10 * time.Minute}

// newMux wires the API's endpoints behind the validator.
func newMux(v *apiauth.Validator) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /hello", v.Middleware(http.HandlerFunc(hello)))
	mux.Handle("GET /payroll", v.Require(payrollRequirement, http.HandlerFunc(payroll)))
	return mux
}

func hello(w http.ResponseWriter, r *http.Request) {
	c := apiauth.FromContext(r.Context())
	writeJSON(w, map[string]any{"hello": c.ObjectID, "tenant": c.TenantID, "acr": c.ACR})
}

func payroll(w http.ResponseWriter, r *http.Request) {
	c := apiauth.FromContext(r.Context())
	writeJSON(w, map[string]any{"employee": c.ObjectID, "salary": "confidential", "acr": c.ACR})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

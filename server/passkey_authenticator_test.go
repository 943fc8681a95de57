package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"html"
	"regexp"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/sigil-idp/sigil/server/servertest"
)

// softAuthenticator is a WebAuthn authenticator written for the tests (the
// WebAuthn Level 2 formats): an ES256 key, attestation "none", user presence
// and verification always given, and a signature counter.
type softAuthenticator struct {
	key    *ecdsa.PrivateKey
	credID []byte
	rpID   string
	origin string
	count  uint32
	user   []byte // the user handle learnt at registration
}

func newSoftAuthenticator(t *testing.T, env *servertest.Env) *softAuthenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &softAuthenticator{key: key, credID: id, rpID: passkeyHost, origin: env.Server.URL}
}

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUserPresent  = 0x01
	flagUserVerified = 0x04
	flagAttested     = 0x40
)

var b64 = base64.RawURLEncoding

// ceremonyOptions reads the options a passkey page hands to webauthn.js.
type ceremonyOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

var optionsAttr = regexp.MustCompile(`data-webauthn-options="([^"]*)"`)

func pageOptions(t *testing.T, p *servertest.Page) ceremonyOptions {
	t.Helper()
	m := optionsAttr.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no WebAuthn options on %s (%d): %.800s", p.URL, p.Status, p.Body)
	}
	var o ceremonyOptions
	must(t, json.Unmarshal([]byte(html.UnescapeString(m[1])), &o))
	return o
}

func (a *softAuthenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.origin, "crossOrigin": false})
	return b
}

func (a *softAuthenticator) authData(flags byte, attested []byte) []byte {
	rp := sha256.Sum256([]byte(a.rpID))
	out := append(rp[:], flags)
	out = binary.BigEndian.AppendUint32(out, a.count)
	return append(out, attested...)
}

// create answers navigator.credentials.create() for the page's options.
func (a *softAuthenticator) create(t *testing.T, o ceremonyOptions) string {
	t.Helper()
	a.user, _ = b64.DecodeString(o.PublicKey.User.ID)
	x, y := a.key.PublicKey.X.FillBytes(make([]byte, 32)), a.key.PublicKey.Y.FillBytes(make([]byte, 32))
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	must(t, err)
	attested := make([]byte, 16) // AAGUID: zero for a software authenticator
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.credID)))
	attested = append(append(attested, a.credID...), cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{},
		"authData": a.authData(flagUserPresent|flagUserVerified|flagAttested, attested)})
	must(t, err)
	return credentialJSON(a.credID, map[string]any{
		"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
		"attestationObject": b64.EncodeToString(att), "transports": []string{"internal"},
	})
}

// get answers navigator.credentials.get(), counting one more signature.
func (a *softAuthenticator) get(t *testing.T, o ceremonyOptions) string {
	t.Helper()
	a.count++
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	ad := a.authData(flagUserPresent|flagUserVerified, nil)
	digest := sha256.Sum256(cd)
	msg := sha256.Sum256(append(append([]byte{}, ad...), digest[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, msg[:])
	must(t, err)
	return credentialJSON(a.credID, map[string]any{
		"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
		"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(a.user),
	})
}

func credentialJSON(id []byte, response map[string]any) string {
	b, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(id), "rawId": b64.EncodeToString(id),
		"type": "public-key", "response": response, "clientExtensionResults": map[string]any{}})
	return string(b)
}

// passkeyHost is the public host name of the passkey tests' server: a
// WebAuthn relying party ID cannot be an IP address.
const passkeyHost = "sigil.example.com"

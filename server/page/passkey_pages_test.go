package page

// The passkey pages (server/mfa/passkey) join every-page tests.
func init() {
	sampleData["passkey_challenge"] = passkeyView
	sampleData["passkey_register"] = passkeyView
}

// passkeyView is the data of the passkey pages (server/mfa/passkey).
var passkeyView = map[string]any{
	"User": map[string]string{"UserPrincipalName": "alex@contoso.com"}, "Mode": "get", "Option": `{"publicKey":{"challenge":"abc"}}`,
	"Form":  map[string]any{"Action": "/t/login/mfa", "Fields": []map[string]string{{"Name": "csrf_token", "Value": "tok"}}},
	"Error": "That passkey wasn't accepted.", "Ceremony": "c1", "CancelURL": "/t/account/security-info",
	"Alternatives": []map[string]string{{"Label": "Use a recovery code", "URL": "/t/login/mfa?method=recovery"}},
}

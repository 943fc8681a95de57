package page

import "time"

// The passkey pages (server/mfa/passkey) join every-page tests.
func init() {
	sampleData["passkey_challenge"] = passkeyView
	sampleData["passkey_register"] = passkeyView
	sampleData["approve_challenge"] = map[string]any{"Challenge": mfaChallenge, "Waiting": true, "RenewURL": "/t/login/mfa?renew=1",
		"Request": map[string]any{"Number": 42, "AppName": "Payroll", "ExpiresAt": time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)},
		"Error":   "The request timed out. Send a new request to try again."}
	sampleData["approve_device"] = map[string]any{"Device": map[string]string{"Name": "Laptop"}, "Respond": "/t/account/approver/respond",
		"Requests": []map[string]string{{"ID": "r1", "App": "Payroll", "IP": "203.0.113.9", "Time": "2026-11-23 10:00:00 UTC", "Token": "tok"}},
		"Notice":   "Approved. You can go back to the sign-in.", "Error": "That number didn't match. The sign-in was denied."}
}

// passkeyView is the data of the passkey pages (server/mfa/passkey).
var passkeyView = map[string]any{
	"User": map[string]string{"UserPrincipalName": "alex@contoso.com"}, "Mode": "get", "Option": `{"publicKey":{"challenge":"abc"}}`,
	"Form":  map[string]any{"Action": "/t/login/mfa", "Fields": []map[string]string{{"Name": "csrf_token", "Value": "tok"}}},
	"Error": "That passkey wasn't accepted.", "Ceremony": "c1", "CancelURL": "/t/account/security-info",
	"Alternatives": []map[string]string{{"Label": "Use a recovery code", "URL": "/t/login/mfa?method=recovery"}},
}

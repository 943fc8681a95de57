// Package access gathers what Conditional Access needs to know about a
// sign-in — the user's transitive groups and effective roles, the client's
// location, platform and risk, the terms of use accepted — and runs the pure
// evaluator of server/policy over the tenant's policies or security
// defaults. The sign-in flow (server/authflow), the token endpoint
// (server/op) and What-If (server/admin) call the same Service, so a What-If
// answer is what a real sign-in would get (G-22).
//
// Risk is computed from Sigil's own detections (G-28): the first factor
// records whether the client's network is familiar to the user (smart
// lockout's familiar networks), whether the address is spraying passwords
// across accounts (smart lockout's per-address counter), the failed second
// factors since the last success, and — with a GeoIP city database —
// whether the distance from the user's last successful sign-in could have
// been travelled in the time between. The detections travel with the flow
// (storage.Flow.Facts), because the first factor itself makes the network
// familiar.
package access

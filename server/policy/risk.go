package policy

import (
	"math"
	"time"
)

// Detections are Sigil's own risk detections for one sign-in (G-28).
type Detections struct {
	// UnfamiliarIP: the user has not signed in from this network recently.
	UnfamiliarIP bool
	// UnfamiliarCountry: nor from this country (needs GeoIP).
	UnfamiliarCountry bool
	// ImpossibleTravel: the distance from the last sign-in cannot have been
	// covered in the time between (ImpossibleTravel, needs GeoIP coordinates).
	ImpossibleTravel bool
	// PasswordSpray: the client's address is failing passwords across many
	// accounts (smart lockout's per-address counter).
	PasswordSpray bool
	// FailedMFAAttempts since the user's last successful second factor.
	FailedMFAAttempts int
}

// Risk detection names for the sign-in log (Graph riskEventType style).
const (
	DetectionUnfamiliarFeatures = "unfamiliarFeatures"
	DetectionImpossibleTravel   = "impossibleTravel"
	DetectionPasswordSpray      = "passwordSpray"
	DetectionMFAFailures        = "mfaFraud"
)

// mfaFailureThreshold is where failed second factors become medium risk.
const mfaFailureThreshold = 5

// SignInRisk maps detections to a level and the detections that raised it;
// the highest wins (the table in doc.go).
func SignInRisk(d Detections) (level string, detections []string) {
	level = RiskNone
	raise := func(to, detection string) {
		if riskRank[to] > riskRank[level] {
			level = to
		}
		detections = append(detections, detection)
	}
	if d.UnfamiliarIP {
		raise(pick(d.UnfamiliarCountry, RiskMedium, RiskLow), DetectionUnfamiliarFeatures)
	}
	if d.FailedMFAAttempts >= mfaFailureThreshold {
		raise(RiskMedium, DetectionMFAFailures)
	}
	if d.ImpossibleTravel {
		raise(RiskHigh, DetectionImpossibleTravel)
	}
	if d.PasswordSpray {
		raise(RiskHigh, DetectionPasswordSpray)
	}
	return level, detections
}

// GeoPoint is a place and time of a sign-in.
type GeoPoint struct {
	Latitude, Longitude float64
	At                  time.Time
}

// Travel limits: faster than an airliner over a distance a VPN hop or a
// GeoIP error would not explain.
const (
	maxTravelKmPerHour = 900
	minTravelKm        = 500
	earthRadiusKm      = 6371
)

// ImpossibleTravel reports whether going from a to b in the time between
// them would need more than 900 km/h over more than 500 km.
func ImpossibleTravel(a, b GeoPoint) bool {
	km := DistanceKm(a, b)
	if km < minTravelKm {
		return false
	}
	hours := math.Abs(b.At.Sub(a.At).Hours())
	return hours == 0 || km/hours > maxTravelKmPerHour
}

// DistanceKm is the great-circle distance between two points (haversine).
func DistanceKm(a, b GeoPoint) float64 {
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	dLat, dLon := rad(b.Latitude-a.Latitude), rad(b.Longitude-a.Longitude)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(rad(a.Latitude))*math.Cos(rad(b.Latitude))*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(1, max(0, h))))
}

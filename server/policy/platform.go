package policy

import "strings"

// Device platforms (Graph conditionalAccessDevicePlatform).
const (
	PlatformAndroid      = "android"
	PlatformIOS          = "iOS"
	PlatformWindows      = "windows"
	PlatformWindowsPhone = "windowsPhone"
	PlatformMacOS        = "macOS"
	PlatformLinux        = "linux"
)

// PlatformFromUserAgent names the device platform a User-Agent header claims
// ("" when it names none). A user agent is easily forged, so platform
// conditions suit requiring more, not granting access (as in Entra).
func PlatformFromUserAgent(ua string) string {
	switch {
	case strings.Contains(ua, "Windows Phone"):
		return PlatformWindowsPhone
	case strings.Contains(ua, "Android"):
		return PlatformAndroid
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"), strings.Contains(ua, "iPod"):
		return PlatformIOS
	case strings.Contains(ua, "Windows"):
		return PlatformWindows
	case strings.Contains(ua, "Macintosh"), strings.Contains(ua, "Mac OS X"):
		return PlatformMacOS
	case strings.Contains(ua, "Linux"), strings.Contains(ua, "X11"), strings.Contains(ua, "CrOS"):
		return PlatformLinux
	}
	return ""
}

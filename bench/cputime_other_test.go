//go:build !unix

package bench

// processCPUSeconds is not measured where getrusage is missing.
func processCPUSeconds() (float64, bool) { return 0, false }

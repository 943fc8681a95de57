//go:build unix

package bench

import "syscall"

// processCPUSeconds is the user and system CPU time this process has used:
// clients and server together, never the database's own processes.
func processCPUSeconds() (float64, bool) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0, false
	}
	seconds := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return seconds(u.Utime) + seconds(u.Stime), true
}

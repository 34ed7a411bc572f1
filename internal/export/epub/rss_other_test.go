//go:build !linux

package epub

import "os"

// maxRSS is not measured outside Linux, where Rusage.Maxrss has other units.
func maxRSS(*os.ProcessState) int64 { return 0 }

//go:build !linux

package runner

// killStale has nothing to do on Windows, where a killed workbook's Job
// Objects killed its checks' processes as their last handle closed, and cannot
// find them on macOS and the BSDs, which have no /proc: there, a check's
// processes are its process group, which a killed workbook leaves behind (see
// doc.go).
func killStale(dirs []string) {}

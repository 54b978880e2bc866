package logx

import "os"

// openRead opens path read-only; it exists so tests and tools share one
// place that decides how log files are read.
func openRead(path string) (*os.File, error) { return os.Open(path) }

package writes

import (
	"fmt"
	"os"
)

// The close is taken as a method value and deferred through the variable: its error is lost.
func writeLinesReport(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	closeFile := f.Close
	defer closeFile() // want `deferred closeFile\(\) discards the error of the file created by os\.Create on line \d+`
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return nil
}

// The same through a read-only file: nothing written to lose. No finding.
func readLinesReport(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	closeFile := f.Close
	defer closeFile()
	buf := make([]byte, 512)
	n, err := f.Read(buf)
	return buf[:n], err
}

package writes

import (
	"bufio"
	"log"
	"os"
)

// reportSink writes a report file; its Close logs a failed close itself and always returns nil.
type reportSink struct {
	f  *os.File
	bw *bufio.Writer
}

func openReportSink(path string) (*reportSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &reportSink{f: f, bw: bufio.NewWriter(f)}, nil
}

func (s *reportSink) Write(p []byte) (int, error) { return s.bw.Write(p) }

func (s *reportSink) Close() error {
	if err := s.bw.Flush(); err != nil {
		log.Printf("report: flush: %v", err)
	}
	if err := s.f.Close(); err != nil {
		log.Printf("report: close: %v", err)
	}
	return nil
}

// reportSink.Close handles its own errors: dropping its nil result loses nothing. No finding.
func writeReportLines(path string, lines [][]byte) error {
	s, err := openReportSink(path)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, l := range lines {
		if _, err := s.Write(l); err != nil {
			return err
		}
	}
	return nil
}

package pipeline

import (
	"io/fs"
	"log"
	"path/filepath"
	"sync"
)

// Scanner walks directory trees and streams the regular files it finds on Found.
type Scanner struct {
	Found chan string
	Skip  func(path string) bool
	Log   *log.Logger
}

// NewScanner returns a Scanner whose Found channel buffers buf paths.
func NewScanner(buf int) *Scanner {
	return &Scanner{Found: make(chan string, buf)}
}

// Start walks every root in the background; Found is closed when Start is done.
func (s *Scanner) Start(roots []string) {
	defer close(s.Found) // HAZ defer-close-chan-with-sender
	for _, r := range roots {
		go s.walk(r)
	}
}

// Scan walks every root concurrently and closes Found once all walks are done.
func (s *Scanner) Scan(roots []string) {
	defer close(s.Found)
	var wg sync.WaitGroup
	for _, r := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.walk(r)
		}()
	}
	wg.Wait()
}

// ScanAsync is Scan in the background; Found is closed by the last walker.
func (s *Scanner) ScanAsync(roots []string) {
	var wg sync.WaitGroup
	for _, r := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.walk(r)
		}()
	}
	go func() {
		wg.Wait()
		close(s.Found)
	}()
}

func (s *Scanner) walk(root string) {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && (s.Skip == nil || !s.Skip(p)) {
			s.Found <- p
		}
		return nil
	})
	if err != nil && s.Log != nil {
		s.Log.Printf("scan %s: %v", root, err)
	}
}

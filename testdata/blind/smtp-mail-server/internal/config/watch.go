package config

import (
	"crypto/sha256"
	"io"
	"log"
	"os"
	"time"
)

// Watch polls path every interval for the life of the process and calls
// onChange with the new configuration whenever the file content changes.
func Watch(path string, every time.Duration, onChange func(*Config)) {
	var last [sha256.Size]byte
	for {
		time.Sleep(every)
		f, err := os.Open(path)
		if err != nil {
			log.Printf("config: watch: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			continue
		}
		var sum [sha256.Size]byte
		copy(sum[:], h.Sum(nil))
		if sum == last {
			continue
		}
		last = sum
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			continue
		}
		cfg, err := decode(f)
		if err != nil {
			log.Printf("config: %s changed but is invalid: %v", path, err)
			continue
		}
		onChange(cfg)
	}
}

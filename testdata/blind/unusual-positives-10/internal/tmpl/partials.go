package tmpl

import (
	"log"
	"os"
	"path/filepath"
	"strings"
)

// init loads extra templates from TMPL_PARTIALS. It has no deferred work, so
// stopping the program here loses nothing.
func init() {
	dir := os.Getenv("TMPL_PARTIALS")
	if dir == "" {
		return
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		log.Fatalf("tmpl: partials: %v", err)
	}
	for _, m := range matches {
		if err := loadPartial(m); err != nil {
			log.Fatalf("tmpl: partial %s: %v", m, err)
		}
	}
}

func loadPartial(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(path), ".tmpl")
	return Register(name, string(src))
}

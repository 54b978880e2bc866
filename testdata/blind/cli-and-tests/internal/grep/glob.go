package grep

import (
	"path/filepath"
	"slices"
)

// filepathGlob is filepath.Glob with the results sorted so that rotated
// files (app.log.2, app.log.1) come before the live file.
func filepathGlob(pattern string) ([]string, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(paths, func(a, b string) int {
		ra, rb := rotation(a), rotation(b)
		if ra != rb {
			return rb - ra
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return paths, nil
}

// rotation returns N for "x.log.N" and 0 otherwise.
func rotation(p string) int {
	ext := filepath.Ext(p)
	if len(ext) < 2 {
		return 0
	}
	n := 0
	for _, c := range ext[1:] {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

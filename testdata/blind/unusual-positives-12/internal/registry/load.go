package registry

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// loader parses a services file: one "name addr[,addr...]" per line.
type loader struct {
	src  *os.File
	line int
}

// LoadFile reads services from path and registers them.
func (r *Registry) LoadFile(path string) (int, error) {
	var ld loader
	var err error
	ld.src, err = os.Open(path)
	defer ld.src.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("registry: %w", err)
	}
	svcs, err := ld.parse()
	if err != nil {
		return 0, err
	}
	r.ReplaceAll(svcs)
	return len(svcs), nil
}

// LoadFiles reads several service files, merging them in order.
func (r *Registry) LoadFiles(paths []string) (int, error) {
	var all []Service
	for _, p := range paths {
		svcs, err := func() ([]Service, error) {
			ld := loader{}
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			ld.src = f
			return ld.parse()
		}()
		if err != nil {
			return 0, fmt.Errorf("registry: %s: %w", p, err)
		}
		all = append(all, svcs...)
	}
	r.ReplaceAll(all)
	return len(all), nil
}

// parse reads the whole source.
func (ld *loader) parse() ([]Service, error) {
	var out []Service
	sc := bufio.NewScanner(ld.src)
	for sc.Scan() {
		ld.line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want name and addresses, got %q", ld.line, text)
		}
		out = append(out, Service{Name: fields[0], Addrs: strings.Split(fields[1], ","), Healthy: true})
	}
	return out, sc.Err()
}

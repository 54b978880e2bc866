package store

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

var (
	errEmpty  = errors.New("empty command")
	errArity  = errors.New("wrong number of arguments")
	errNoKey  = errors.New("no such key")
	errNotInt = errors.New("value is not an integer")
)

// KV is a tiny line-protocol key/value store used by integration tests and
// the debug console.
type KV struct {
	mu sync.Mutex
	m  map[string]string
}

// Exec runs one command line. One defer but eighteen returns: 18 > 15, so
// the deferred unlock is not open-coded.
func (s *KV) Exec(line string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock() // HAZ defer-not-open-coded
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", errEmpty
	}
	switch strings.ToUpper(fields[0]) {
	case "PING":
		return "PONG", nil
	case "GET":
		if len(fields) != 2 {
			return "", errArity
		}
		v, ok := s.m[fields[1]]
		if !ok {
			return "", errNoKey
		}
		return v, nil
	case "SET":
		if len(fields) != 3 {
			return "", errArity
		}
		s.m[fields[1]] = fields[2]
		return "OK", nil
	case "DEL":
		if len(fields) < 2 {
			return "", errArity
		}
		n := 0
		for _, k := range fields[1:] {
			if _, ok := s.m[k]; ok {
				delete(s.m, k)
				n++
			}
		}
		return strconv.Itoa(n), nil
	case "EXISTS":
		if len(fields) != 2 {
			return "", errArity
		}
		if _, ok := s.m[fields[1]]; ok {
			return "1", nil
		}
		return "0", nil
	case "INCR":
		if len(fields) != 2 {
			return "", errArity
		}
		cur := s.m[fields[1]]
		n, err := strconv.Atoi(cur)
		if err != nil && cur != "" {
			return "", errNotInt
		}
		n++
		s.m[fields[1]] = strconv.Itoa(n)
		return strconv.Itoa(n), nil
	case "KEYS":
		keys := make([]string, 0, len(s.m))
		for k := range s.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return strings.Join(keys, " "), nil
	case "FLUSH":
		clear(s.m)
		return "OK", nil
	default:
		return "", fmt.Errorf("unknown command %q", fields[0])
	}
}

// Query runs one read-only command. One defer and fourteen returns: 14 is
// within the budget of 15, so the defer is still open-coded.
func (s *KV) Query(line string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: 1 defer x 14 returns
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", errEmpty
	}
	switch strings.ToUpper(fields[0]) {
	case "PING":
		return "PONG", nil
	case "GET":
		if len(fields) != 2 {
			return "", errArity
		}
		v, ok := s.m[fields[1]]
		if !ok {
			return "", errNoKey
		}
		return v, nil
	case "EXISTS":
		if len(fields) != 2 {
			return "", errArity
		}
		if _, ok := s.m[fields[1]]; ok {
			return "1", nil
		}
		return "0", nil
	case "STRLEN":
		if len(fields) != 2 {
			return "", errArity
		}
		return strconv.Itoa(len(s.m[fields[1]])), nil
	case "DBSIZE":
		return strconv.Itoa(len(s.m)), nil
	case "KEYS":
		keys := make([]string, 0, len(s.m))
		for k := range s.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return strings.Join(keys, " "), nil
	default:
		return "", fmt.Errorf("unknown or write command %q", fields[0])
	}
}

package zone

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.com/dnsresolver/internal/dnsmsg"
)

// ParseError locates a syntax error in a master file.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

type parser struct {
	origin   string
	ttl      uint32
	lastName string
}

// Parse reads a master file (RFC 1035 section 5, without parentheses) for
// origin. name is used in error messages only.
func Parse(r io.Reader, origin, name string) (*Zone, error) {
	p := &parser{origin: dnsmsg.Canonical(origin), ttl: 3600}
	z := New(origin)
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := stripComment(sc.Text())
		if strings.TrimSpace(line) == "" {
			continue
		}
		rr, ok, err := p.parseLine(line)
		if err != nil {
			return nil, &ParseError{File: name, Line: lineNo, Err: err}
		}
		if ok {
			if err := z.Add(rr); err != nil {
				return nil, &ParseError{File: name, Line: lineNo, Err: err}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if _, ok := z.SOA(); !ok {
		return nil, fmt.Errorf("%s: zone %s has no SOA record", name, z.Origin)
	}
	return z, nil
}

func stripComment(line string) string {
	inQuote := false
	for i, c := range line {
		switch c {
		case '"':
			inQuote = !inQuote
		case ';':
			if !inQuote {
				return line[:i]
			}
		}
	}
	return line
}

// parseLine handles one logical line. It returns ok=false for directives.
func (p *parser) parseLine(line string) (dnsmsg.RR, bool, error) {
	fields := strings.Fields(line)
	switch strings.ToUpper(fields[0]) {
	case "$ORIGIN":
		if len(fields) < 2 {
			return dnsmsg.RR{}, false, fmt.Errorf("$ORIGIN without a name")
		}
		p.origin = p.absName(fields[1])
		return dnsmsg.RR{}, false, nil
	case "$TTL":
		if len(fields) < 2 {
			return dnsmsg.RR{}, false, fmt.Errorf("$TTL without a value")
		}
		ttl, err := parseTTL(fields[1])
		if err != nil {
			return dnsmsg.RR{}, false, err
		}
		p.ttl = ttl
		return dnsmsg.RR{}, false, nil
	}

	rr := dnsmsg.RR{Class: dnsmsg.ClassINET, TTL: p.ttl}
	if line[0] == ' ' || line[0] == '\t' {
		if p.lastName == "" {
			return rr, false, fmt.Errorf("record without an owner name")
		}
		rr.Name = p.lastName
	} else {
		rr.Name = p.absName(fields[0])
		fields = fields[1:]
	}
	p.lastName = rr.Name

	// Optional TTL and class, in either order.
	for len(fields) > 0 {
		if strings.EqualFold(fields[0], "IN") {
			fields = fields[1:]
			continue
		}
		if ttl, err := parseTTL(fields[0]); err == nil {
			rr.TTL = ttl
			fields = fields[1:]
			continue
		}
		break
	}
	if len(fields) == 0 {
		return rr, false, fmt.Errorf("missing record type")
	}
	t, err := dnsmsg.ParseType(fields[0])
	if err != nil {
		return rr, false, err
	}
	rr.Type = t
	rdata := fields[1:]
	switch t {
	case dnsmsg.TypeNS, dnsmsg.TypeCNAME, dnsmsg.TypePTR:
		if len(rdata) > 0 {
			rdata[0] = p.absName(rdata[0])
		}
	case dnsmsg.TypeMX:
		if len(rdata) > 1 {
			rdata[1] = p.absName(rdata[1])
		}
	case dnsmsg.TypeSOA:
		for i := 0; i < 2 && i < len(rdata); i++ {
			rdata[i] = p.absName(rdata[i])
		}
	}
	if rr.Data, err = dnsmsg.EncodeRData(t, rdata); err != nil {
		return rr, false, err
	}
	return rr, true, nil
}

func (p *parser) absName(n string) string {
	switch {
	case n == "@":
		return p.origin
	case strings.HasSuffix(n, "."):
		return dnsmsg.Canonical(n)
	case p.origin == ".":
		return dnsmsg.Canonical(n)
	}
	return dnsmsg.Canonical(n + "." + p.origin)
}

// parseTTL accepts plain seconds or BIND-style units: 1w2d3h4m5s.
func parseTTL(s string) (uint32, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(n), nil
	}
	var total, cur uint64
	digits := false
	for _, c := range strings.ToLower(s) {
		if c >= '0' && c <= '9' {
			cur = cur*10 + uint64(c-'0')
			digits = true
			continue
		}
		if !digits {
			return 0, fmt.Errorf("bad TTL %q", s)
		}
		switch c {
		case 'w':
			cur *= 7 * 24 * 3600
		case 'd':
			cur *= 24 * 3600
		case 'h':
			cur *= 3600
		case 'm':
			cur *= 60
		case 's':
		default:
			return 0, fmt.Errorf("bad TTL %q", s)
		}
		total += cur
		cur, digits = 0, false
	}
	if digits || total > 1<<31-1 {
		return 0, fmt.Errorf("bad TTL %q", s)
	}
	return uint32(total), nil
}

// LoadFile parses the master file at path.
func LoadFile(path, origin string) (*Zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(bufio.NewReader(f), origin, path)
}

// OriginFromFileName maps "example.com.zone" to "example.com.".
func OriginFromFileName(name string) (string, bool) {
	base, ok := strings.CutSuffix(filepath.Base(name), ".zone")
	if !ok || base == "" {
		return "", false
	}
	return dnsmsg.Canonical(base), true
}

// FileNameFor is the inverse of OriginFromFileName.
func FileNameFor(origin string) string {
	return strings.TrimSuffix(dnsmsg.Canonical(origin), ".") + ".zone"
}

// LoadDir loads every *.zone file in dir.
func LoadDir(dir string) ([]*Zone, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var zones []*Zone
	for _, e := range entries {
		origin, ok := OriginFromFileName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		z, err := Parse(bufio.NewReader(f), origin, path)
		if err != nil {
			return nil, err
		}
		zones = append(zones, z)
	}
	return zones, nil
}

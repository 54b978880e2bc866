package dnsmsg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Canonical lower-cases name and makes it fully qualified.
func Canonical(name string) string {
	if name == "" || name == "." {
		return "."
	}
	name = strings.ToLower(name)
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}

// IsSubdomain reports whether child equals parent or lies below it.
func IsSubdomain(child, parent string) bool {
	child, parent = Canonical(child), Canonical(parent)
	if parent == "." || child == parent {
		return true
	}
	return strings.HasSuffix(child, "."+parent)
}

// Parent returns the name one label up, and false at the root.
func Parent(name string) (string, bool) {
	name = Canonical(name)
	if name == "." {
		return "", false
	}
	_, rest, _ := strings.Cut(name, ".")
	if rest == "" {
		return ".", true
	}
	return rest, true
}

// CountLabels returns the number of labels in name, not counting the root.
func CountLabels(name string) int {
	name = Canonical(name)
	if name == "." {
		return 0
	}
	return strings.Count(name, ".")
}

// ValidName checks label and name lengths and rejects empty labels.
func ValidName(name string) error {
	name = Canonical(name)
	if len(name) > 255 {
		return ErrNameLen
	}
	if name == "." {
		return nil
	}
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		switch {
		case l == "":
			return fmt.Errorf("dnsmsg: empty label in %q", name)
		case len(l) > 63:
			return ErrLabelLen
		}
	}
	return nil
}

// EncodeRData converts the presentation form of RDATA into wire form.
func EncodeRData(t Type, fields []string) ([]byte, error) {
	need := func(n int) error {
		if len(fields) < n {
			return fmt.Errorf("dnsmsg: %s needs %d rdata fields, have %d", t, n, len(fields))
		}
		return nil
	}
	switch t {
	case TypeA, TypeAAAA:
		if err := need(1); err != nil {
			return nil, err
		}
		ip, err := netip.ParseAddr(fields[0])
		if err != nil {
			return nil, err
		}
		if (t == TypeA) != ip.Is4() {
			return nil, fmt.Errorf("dnsmsg: %s record with address %s", t, ip)
		}
		return ip.AsSlice(), nil
	case TypeNS, TypeCNAME, TypePTR:
		if err := need(1); err != nil {
			return nil, err
		}
		return appendName(nil, fields[0])
	case TypeMX:
		if err := need(2); err != nil {
			return nil, err
		}
		var pref uint16
		if _, err := fmt.Sscan(fields[0], &pref); err != nil {
			return nil, fmt.Errorf("dnsmsg: MX preference %q: %w", fields[0], err)
		}
		return appendName(binary.BigEndian.AppendUint16(nil, pref), fields[1])
	case TypeTXT:
		var b []byte
		for _, f := range fields {
			s := strings.Trim(f, `"`)
			if len(s) > 255 {
				return nil, errors.New("dnsmsg: TXT string longer than 255 octets")
			}
			b = append(b, byte(len(s)))
			b = append(b, s...)
		}
		return b, nil
	case TypeSOA:
		return encodeSOA(fields)
	}
	return nil, fmt.Errorf("dnsmsg: no presentation parser for %s", t)
}

func encodeSOA(fields []string) ([]byte, error) {
	if len(fields) != 7 {
		return nil, fmt.Errorf("dnsmsg: SOA needs 7 rdata fields, have %d", len(fields))
	}
	b, err := appendName(nil, fields[0])
	if err != nil {
		return nil, err
	}
	if b, err = appendName(b, fields[1]); err != nil {
		return nil, err
	}
	for _, f := range fields[2:] {
		var v uint32
		if _, err := fmt.Sscan(f, &v); err != nil {
			return nil, fmt.Errorf("dnsmsg: SOA field %q: %w", f, err)
		}
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b, nil
}

// SOASerial extracts the serial number from SOA RDATA.
func SOASerial(rdata []byte) (uint32, error) {
	_, off, err := readName(rdata, 0)
	if err != nil {
		return 0, err
	}
	if _, off, err = readName(rdata, off); err != nil {
		return 0, err
	}
	if off+4 > len(rdata) {
		return 0, ErrShort
	}
	return binary.BigEndian.Uint32(rdata[off:]), nil
}

// DecodeName decodes an uncompressed name stored in RDATA (NS, CNAME, PTR).
func DecodeName(rdata []byte) (string, error) {
	name, _, err := readName(rdata, 0)
	return name, err
}

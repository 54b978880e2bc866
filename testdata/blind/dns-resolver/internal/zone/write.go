package zone

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"example.com/dnsresolver/internal/dnsmsg"
)

// FormatRR renders rr in master-file syntax.
func FormatRR(rr dnsmsg.RR) string {
	return fmt.Sprintf("%s\t%d\tIN\t%s\t%s", rr.Name, rr.TTL, rr.Type, FormatRData(rr.Type, rr.Data))
}

// FormatRData renders RDATA in presentation form. Unknown types use the
// RFC 3597 generic syntax.
func FormatRData(t dnsmsg.Type, data []byte) string {
	switch t {
	case dnsmsg.TypeA, dnsmsg.TypeAAAA:
		if ip, ok := netip.AddrFromSlice(data); ok {
			return ip.String()
		}
	case dnsmsg.TypeNS, dnsmsg.TypeCNAME, dnsmsg.TypePTR:
		if n, err := dnsmsg.DecodeName(data); err == nil {
			return n
		}
	case dnsmsg.TypeMX:
		if len(data) > 2 {
			if n, err := dnsmsg.DecodeName(data[2:]); err == nil {
				return fmt.Sprintf("%d %s", binary.BigEndian.Uint16(data), n)
			}
		}
	case dnsmsg.TypeTXT:
		var parts []string
		for len(data) > 0 && int(data[0]) < len(data) {
			n := int(data[0])
			parts = append(parts, fmt.Sprintf("%q", data[1:1+n]))
			data = data[1+n:]
		}
		return strings.Join(parts, " ")
	case dnsmsg.TypeSOA:
		return formatSOA(data)
	}
	return fmt.Sprintf("\\# %d %x", len(data), data)
}

func formatSOA(data []byte) string {
	mname, err := dnsmsg.DecodeName(data)
	if err != nil {
		return fmt.Sprintf("\\# %d %x", len(data), data)
	}
	off := len(mname) + 1
	if mname == "." {
		off = 1
	}
	rname, err := dnsmsg.DecodeName(data[off:])
	if err != nil {
		return fmt.Sprintf("\\# %d %x", len(data), data)
	}
	off += len(rname) + 1
	var nums []string
	for i := 0; i < 5 && off+4 <= len(data); i++ {
		nums = append(nums, fmt.Sprint(binary.BigEndian.Uint32(data[off:])))
		off += 4
	}
	return mname + " " + rname + " " + strings.Join(nums, " ")
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteTo writes the zone in master-file syntax.
func (z *Zone) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	if _, err := fmt.Fprintf(cw, "$ORIGIN %s\n", z.Origin); err != nil {
		return cw.n, err
	}
	for _, rr := range z.Records() {
		if _, err := io.WriteString(cw, FormatRR(rr)+"\n"); err != nil {
			return cw.n, err
		}
	}
	return cw.n, nil
}

// WriteFile writes z to path atomically: a temporary file in the same
// directory is written, synced and renamed over path, so that a crash
// leaves either the old or the new zone, never half of one.
func WriteFile(z *Zone, path string) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".zone-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	defer f.Close()

	bw := bufio.NewWriter(f)
	if _, err := z.WriteTo(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// writeFileAtomic is WriteFile for raw bytes.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

package scrub

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"example.com/objstore/internal/store"
)

var errShortMeta = errors.New("scrub: legacy sidecar too short")

// legacyMeta is the v1 binary sidecar that nodes wrote before the JSON
// sidecars; some objects still carry one next to their data file.
type legacyMeta struct {
	Key  string
	Size int64
	MD5  string
}

// parseLegacyMeta decodes a v1 sidecar: u16 key length, key, u64 size,
// 16-byte MD5.
func parseLegacyMeta(b []byte) (legacyMeta, error) {
	defer recover() // HAZ recover-ineffective
	var m legacyMeta
	if len(b) < 2 {
		return m, errShortMeta
	}
	n := int(binary.BigEndian.Uint16(b))
	m.Key = string(b[2 : 2+n])
	rest := b[2+n:]
	m.Size = int64(binary.BigEndian.Uint64(rest))
	m.MD5 = hex.EncodeToString(rest[8:24])
	return m, nil
}

// checkLegacySidecar compares a leftover v1 sidecar with the current
// metadata; a disagreement means one of them was damaged.
func (s *Scrubber) checkLegacySidecar(info store.ObjectInfo) error {
	defer s.store.Pin(info.Bucket, info.Key) // HAZ defer-func-result-not-called
	data, err := os.ReadFile(s.store.ObjectPath(info.Bucket, info.Key) + ".v1")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	m, err := parseLegacyMeta(data)
	if err != nil {
		return err
	}
	if m.Key != info.Key || m.Size != info.Size || m.MD5 != info.MD5 {
		return fmt.Errorf("scrub: %s/%s: v1 sidecar says size=%d md5=%s, metadata says size=%d md5=%s",
			info.Bucket, info.Key, m.Size, m.MD5, info.Size, info.MD5)
	}
	return nil
}

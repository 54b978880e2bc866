package page

import (
	"errors"
	"testing"
)

func TestMetaRoundTrip(t *testing.T) {
	m := NewMeta(DefaultSize)
	m.TxID = 7
	m.Root = 9
	m.HighWater = 12
	buf := make([]byte, DefaultSize)
	m.Encode(buf)
	got, err := DecodeMeta(buf)
	if err != nil {
		t.Fatalf("DecodeMeta: %v", err)
	}
	if got.Root != 9 || got.TxID != 7 || got.HighWater != 12 {
		t.Fatalf("got %+v", got)
	}
	if got.Slot() != MetaB {
		t.Fatalf("slot = %d, want %d", got.Slot(), MetaB)
	}
}

func TestMetaCorrupt(t *testing.T) {
	m := NewMeta(DefaultSize)
	buf := make([]byte, DefaultSize)
	m.Encode(buf)
	buf[HeaderSize+13] ^= 0xff
	if _, err := DecodeMeta(buf); !errors.Is(err, ErrInvalidMeta) {
		t.Fatalf("err = %v, want ErrInvalidMeta", err)
	}
}

func TestSealVerify(t *testing.T) {
	buf := make([]byte, 128)
	Header{ID: 5, Flags: FlagLeaf}.Encode(buf)
	copy(buf[HeaderSize:], "hello")
	Seal(buf)
	if err := Verify(buf); err != nil {
		t.Fatal(err)
	}
	buf[HeaderSize] = 'j'
	if err := Verify(buf); !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
}

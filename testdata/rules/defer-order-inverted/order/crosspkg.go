package order

import (
	"os"

	"example.com/order/streams"
)

// The gzip writer comes from another package's helper that wraps its argument: closing f first
// leaves zw's last block nowhere to go.
func snapshotTo(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := streams.NewCompressed(f, 6)
	if err != nil {
		return err
	}
	defer zw.Close()
	defer f.Close() // want `deferred f\.Close\(\) runs before the deferred zw\.Close\(\) registered on line \d+`
	_, err = zw.Write(data)
	return err
}

// Registered in the right order: zw closes first, then f.
func snapshotOrdered(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, err := streams.NewCompressed(f, 6)
	if err != nil {
		return err
	}
	defer zw.Close()
	_, err = zw.Write(data)
	return err
}

package writes

import (
	"io"

	"example.com/closewrite/fsx"
)

// The file comes from another package's helper that creates it.
func dumpIn(dir string, data []byte) error {
	f, err := fsx.CreateIn(dir, "dump.bin")
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file created by fsx\.CreateIn \(os\.Create inside\)`
	_, err = f.Write(data)
	return err
}

// The helper opens for reading: nothing to lose.
func readIn(dir string) ([]byte, error) {
	f, err := fsx.OpenIn(dir, "dump.bin")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

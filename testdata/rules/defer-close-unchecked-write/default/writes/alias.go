package writes

import (
	"io"
	"os"
)

// The file is closed through an interface-typed name for it.
func dumpAlias(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	var w io.WriteCloser = f
	defer w.Close() // want `deferred w\.Close\(\) discards the error of the file opened for writing by os\.OpenFile on line \d+`
	_, err = w.Write(data)
	return err
}

// The same through a conversion.
func dumpConverted(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := io.WriteCloser(f)
	defer w.Close() // want `deferred w\.Close\(\) discards the error of the file created by os\.Create on line \d+`
	_, err = w.Write(data)
	return err
}

// The file's own close is checked on the success path; the alias's deferred close only covers
// the failure paths.
func dumpAliasChecked(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	var w io.WriteCloser = f
	defer w.Close()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// A file opened for reading has nothing to lose.
func readAlias(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	var r io.ReadCloser = f
	defer r.Close()
	return io.ReadAll(r)
}

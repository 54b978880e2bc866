package writes

import (
	"encoding/csv"
	"io"
	"os"
)

func createExcl(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
}

// Both functions the variable may hold create the file for writing.
func writeReportVia(path string, exclusive bool, rows [][]string) error {
	createFn := os.Create
	if exclusive {
		createFn = createExcl
	}
	f, err := createFn(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file created by createFn \(os\.Create\)`
	return csv.NewWriter(f).WriteAll(rows)
}

// The variable only ever opens for reading.
func readReportVia(path string, local bool) ([]byte, error) {
	openFn := os.Open
	if !local {
		openFn = os.Open
	}
	f, err := openFn(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// A parameter: what it creates is up to the caller.
func writeWithCreate(create func(string) (*os.File, error), path string, data []byte) error {
	f, err := create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(data)
	return err
}

// Checked on the success path.
func writeReportViaChecked(path string, exclusive bool, rows [][]string) error {
	createFn := os.Create
	if exclusive {
		createFn = createExcl
	}
	f, err := createFn(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := csv.NewWriter(f).WriteAll(rows); err != nil {
		return err
	}
	return f.Close()
}

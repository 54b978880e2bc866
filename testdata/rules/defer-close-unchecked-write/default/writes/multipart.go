package writes

import (
	"encoding/base64"
	"errors"
	"mime/multipart"
	"os"
)

// The multipart writer's Close writes the closing boundary: its error dropped, the body is cut.
func writeForm(f *os.File, fields map[string]string) error {
	mw := multipart.NewWriter(f)
	defer mw.Close() // want `deferred mw\.Close\(\) discards the error of the multipart writer from mime/multipart\.NewWriter on line \d+`
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Joined into the named result: no finding.
func writeFormChecked(f *os.File, fields map[string]string) (err error) {
	mw := multipart.NewWriter(f)
	defer func() { err = errors.Join(err, mw.Close()) }()
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	return nil
}

// The encoder's Close writes the last partial block.
func encodeTo(f *os.File, blob []byte) error {
	enc := base64.NewEncoder(base64.StdEncoding, f)
	defer enc.Close() // want `deferred enc\.Close\(\) discards the error of the base64 encoder from encoding/base64\.NewEncoder on line \d+`
	_, err := enc.Write(blob)
	return err
}

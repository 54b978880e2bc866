package geo

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"os"
)

// init extends the table from the zip archive named by GEO_DB, if any. A
// missing or broken archive is not fatal: the built-in table stays.
func init() {
	path := os.Getenv("GEO_DB")
	if path == "" {
		return
	}
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		log.Printf("geo: %v; using the built-in table", err)
		return
	}
	for _, f := range zr.File {
		if f.Name != "countries.csv" {
			continue
		}
		if err := loadCSV(f); err != nil {
			log.Printf("geo: %s: %v", path, err)
		}
	}
}

// loadCSV reads code,name,continent rows from one archive member.
func loadCSV(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	r.FieldsPerRecord = 3
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		register(Country{Code: rec[0], Name: rec[1], Continent: rec[2]})
	}
}

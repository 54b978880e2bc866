// Command fleet-export writes the device inventory and the telemetry
// segments of a site into one zip file for auditors.
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"io"
	"log"
	"os"
	"path/filepath"

	"example.com/fleet/internal/registry"
	"example.com/fleet/internal/telemetry"
)

func main() {
	inv := flag.String("inventory", "/var/lib/fleetd/devices.json", "device inventory")
	segDir := flag.String("segments", "/var/lib/fleetd/telemetry", "telemetry segment directory")
	site := flag.String("site", "", "export only this site")
	out := flag.String("o", "fleet-export.zip", "output file")
	flag.Parse()

	reg, err := registry.Open(*inv)
	if err != nil {
		log.Fatalf("fleet-export: %v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".fleet-export-*.zip")
	if err != nil {
		log.Fatalf("fleet-export: %v", err)
	}
	defer os.Remove(tmp.Name())

	if err := writeExport(tmp, reg, *site, *segDir, *out); err != nil {
		log.Fatalf("fleet-export: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("fleet-export: wrote %s", *out)
}

// writeExport fills f with the archive, closes it and renames it to dst.
func writeExport(f *os.File, reg *registry.Registry, site, segDir, dst string) (err error) {
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	if err := addInventory(zw, reg.BySite(site)); err != nil {
		return err
	}
	paths, err := telemetry.ListSegments(segDir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := addFile(zw, p); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return os.Rename(f.Name(), dst)
}

func addInventory(zw *zip.Writer, devs []registry.Device) error {
	w, err := zw.Create("inventory.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(devs)
}

func addFile(zw *zip.Writer, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create("telemetry/" + filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

package branding

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // registers the JPEG decoder image.DecodeConfig uses
	_ "image/png"  // registers the PNG decoder
	"strings"
)

// ImageKind names one of the branding's images.
type ImageKind string

// The branding's images (H-07).
const (
	Favicon         ImageKind = "favicon"
	BackgroundImage ImageKind = "backgroundImage"
	HeaderLogo      ImageKind = "headerLogo"
	BannerLogo      ImageKind = "bannerLogo"
	SquareLogo      ImageKind = "squareLogo"
	SquareLogoDark  ImageKind = "squareLogoDark"
)

// ImageSpec is what the seed demands of one image: its exact size in pixels
// and its largest file size in bytes (1 KB = 1,024 bytes).
type ImageSpec struct {
	Width, Height int
	MaxBytes      int
}

// imageSpecs are the seed's limits: favicon H-09, background H-10, header
// logo H-15, banner logo H-19, square logos H-20.
var imageSpecs = map[ImageKind]ImageSpec{
	Favicon:         {32, 32, 5 * 1024},
	BackgroundImage: {1920, 1080, 300 * 1024},
	HeaderLogo:      {245, 36, 10 * 1024},
	BannerLogo:      {245, 36, 50 * 1024},
	SquareLogo:      {240, 240, 50 * 1024},
	SquareLogoDark:  {240, 240, 50 * 1024},
}

// ImageKinds lists every kind, in the order of the seed's elements.
func ImageKinds() []ImageKind {
	return []ImageKind{Favicon, HeaderLogo, BackgroundImage, BannerLogo, SquareLogo, SquareLogoDark}
}

// Spec returns the limits of kind and whether kind exists.
func (k ImageKind) Spec() (ImageSpec, bool) {
	s, ok := imageSpecs[k]
	return s, ok
}

// field returns the pointer to the Elements field holding kind's asset.
func (k ImageKind) field(e *Elements) **string {
	switch k {
	case Favicon:
		return &e.FaviconRelativeURL
	case BackgroundImage:
		return &e.BackgroundImageRelativeURL
	case HeaderLogo:
		return &e.HeaderLogoRelativeURL
	case BannerLogo:
		return &e.BannerLogoRelativeURL
	case SquareLogo:
		return &e.SquareLogoRelativeURL
	case SquareLogoDark:
		return &e.SquareLogoDarkRelativeURL
	}
	return nil
}

// CheckImage validates an upload of kind by its content, never its name
// (H-05): PNG or JPEG, exactly the spec's pixel size, at most its bytes. It
// reads the header before decoding, so an oversized or mislabelled file is
// refused without decoding it, then decodes the whole file to refuse a
// truncated one. It returns the format's file extension, "png" or "jpg".
func CheckImage(kind ImageKind, data []byte) (string, error) {
	spec, ok := kind.Spec()
	if !ok {
		return "", invalid("kind", "unknown image %q; use one of %s", kind, kindList())
	}
	field := string(kind)
	if len(data) == 0 {
		return "", invalid(field, "the file is empty")
	}
	if len(data) > spec.MaxBytes {
		return "", invalid(field, "the file is %s; it can't exceed %s", kb(len(data)), kb(spec.MaxBytes))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return "", invalid(field, "the file is not a PNG or JPEG image")
	}
	if cfg.Width != spec.Width || cfg.Height != spec.Height {
		return "", invalid(field, "the image is %d×%d pixels; it must be exactly %d×%d", cfg.Width, cfg.Height, spec.Width, spec.Height)
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", invalid(field, "the image is damaged or truncated")
	}
	if format == "jpeg" {
		return "jpg", nil
	}
	return "png", nil
}

func invalid(field, format string, args ...any) error {
	var p problems
	p.add(field, format, args...)
	return p.err()
}

func kb(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KB", n/1024)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

func kindList() string {
	names := make([]string, 0, len(imageSpecs))
	for _, k := range ImageKinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

package branding

import (
	"bytes"
	"image/color"
	"testing"
)

// TestCheckImageEnforcesTheSeedsLimits covers H-05 (PNG or JPEG by content),
// H-09 (favicon 32×32, 5 KB), H-10 (background 1920×1080, 300 KB), H-15
// (header logo 245×36, 10 KB), H-19 (banner logo 245×36, 50 KB) and H-20
// (square logos 240×240, 50 KB).
func TestCheckImageEnforcesTheSeedsLimits(t *testing.T) {
	t.Parallel()
	want := map[ImageKind]ImageSpec{
		Favicon: {32, 32, 5 << 10}, BackgroundImage: {1920, 1080, 300 << 10}, HeaderLogo: {245, 36, 10 << 10},
		BannerLogo: {245, 36, 50 << 10}, SquareLogo: {240, 240, 50 << 10}, SquareLogoDark: {240, 240, 50 << 10},
	}
	for _, kind := range ImageKinds() {
		spec, _ := kind.Spec()
		if spec != want[kind] {
			t.Errorf("%s spec %+v, want %+v", kind, spec, want[kind])
		}
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			blue := color.NRGBA{0, 0x67, 0xb8, 0xff}
			if ext, err := CheckImage(kind, solidPNG(t, spec.Width, spec.Height, blue)); err != nil || ext != "png" {
				t.Errorf("a PNG of the exact size: ext %q, err %v", ext, err)
			}
			if ext, err := CheckImage(kind, solidJPEG(t, spec.Width, spec.Height)); err != nil || ext != "jpg" {
				t.Errorf("a JPEG of the exact size: ext %q, err %v", ext, err)
			}
			_, err := CheckImage(kind, solidPNG(t, spec.Width+1, spec.Height, blue))
			wantProblem(t, err, string(kind), "must be exactly")
			_, err = CheckImage(kind, solidPNG(t, spec.Width, spec.Height-1, blue))
			wantProblem(t, err, string(kind), "must be exactly")
			_, err = CheckImage(kind, noisyPNG(t, spec.Width, spec.Height))
			wantProblem(t, err, string(kind), "can't exceed")
			_, err = CheckImage(kind, make([]byte, spec.MaxBytes+1))
			wantProblem(t, err, string(kind), "can't exceed")
		})
	}
}

func TestCheckImageJudgesTheContentNotTheName(t *testing.T) {
	t.Parallel()
	valid := solidPNG(t, 32, 32, color.White)
	gif := []byte("GIF89a\x20\x00\x20\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x20\x00\x20\x00\x00\x02\x02D\x01\x00;")
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"an empty file", nil, "empty"},
		{"an SVG with a script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "not a PNG or JPEG"},
		{"HTML", []byte("<html><body>hi</body></html>"), "not a PNG or JPEG"},
		{"a GIF of the right size", gif, "not a PNG or JPEG"},
		{"a PNG cut short", valid[:len(valid)-20], "damaged or truncated"},
		{"a PNG header followed by HTML", append(bytes.Clone(valid[:33]), []byte("<script>alert(1)</script>")...), "damaged or truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := CheckImage(Favicon, c.data)
			wantProblem(t, err, "favicon", c.want)
		})
	}
	_, err := CheckImage("wallpaper", valid)
	wantProblem(t, err, "kind", "unknown image")
}

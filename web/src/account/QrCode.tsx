import { toString as qrSvg } from "qrcode";
import { useEffect, useState } from "react";

/**
 * QrCode draws text as a QR code: an SVG (sharp at any size and zoom) shown as an
 * image, so no markup from a library is put into the page.
 */
export function QrCode({ text, alt }: { text: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    qrSvg(text, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } }).then(
      (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [text]);

  if (failed) return <p className="qr qr--failed">The QR code could not be drawn: enter the key by hand instead.</p>;
  if (!src) return <div className="qr qr--pending" role="status" aria-label="Drawing the QR code" />;
  return <img className="qr" src={src} alt={alt} width={200} height={200} />;
}

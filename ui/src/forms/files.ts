/** A chosen file as the API takes it: name, type and base64 body. */
export type FileValue = { fileName: string; contentType: string; contentBase64: string };

export function readFile(file: File): Promise<FileValue> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve({ fileName: file.name, contentType: file.type || 'application/octet-stream', contentBase64: url.slice(url.indexOf(',') + 1) });
    };
    r.onerror = () => reject(r.error ?? new Error('file'));
    r.readAsDataURL(file);
  });
}

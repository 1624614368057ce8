/** The app's own font, with its Vietnamese subset, served by our app: no glyph depends on the machine's fonts. */
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/700.css';

export const APP_FONT = '"Be Vietnam Pro", sans-serif';

/** Resolves once the font (its Vietnamese glyphs included) is ready, so diagrams measure labels with it. */
export async function fontReady(size = 12): Promise<void> {
  try {
    await document.fonts.load(`${size}px "Be Vietnam Pro"`, 'Không ấộừỹ Aa');
  } catch {
    // Measuring with the fallback font is still better than no diagram.
  }
}

"use client";

import * as React from "react";
import { ThemeProvider as NextThemesProvider, type ThemeProviderProps } from "next-themes";

/*
 * next-themes renders an inline <script> that applies the theme before first paint. That script
 * only matters in the server HTML; when the provider mounts purely on the client (e.g. a 404 or a
 * root-segment change), React 19 logs "Encountered a script tag while rendering React component".
 * On the client we mark the script as a non-executable data block, which React doesn't warn about
 * (next-themes already sets suppressHydrationWarning on it, so hydration is unaffected).
 */
const clientScriptProps = typeof window === "undefined" ? undefined : { type: "text/x-theme-noop" };

/** App-wide theme context. Put it inside <body> and add `suppressHydrationWarning` to <html>. */
export function ThemeProvider({ children, scriptProps, ...props }: ThemeProviderProps) {
  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      scriptProps={scriptProps ?? clientScriptProps}
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

/** What to tell the user when the camera cannot start (getUserMedia's DOMException names). */
export function cameraErrorMessage(error: { name?: string; message?: string } | null | undefined): string {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow the camera for this page in the browser’s site settings, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect one, or choose, drop or paste an image instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another application or could not start. Close it there and try again.';
    case 'NoMediaDevices':
      return 'This browser gives no camera access here: the page must be served over https or from localhost.';
    default:
      return `The camera could not start${error?.message ? `: ${error.message}` : '.'}`;
  }
}

